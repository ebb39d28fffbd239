package io.assetindex.ai;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.util.Json;
import org.junit.jupiter.api.Test;

class ModelOutputTest {
    @Test
    void controlCharactersAndWhiteSpaceRunsBecomeOneSpace() {
        assertThat(ModelOutput.line("\n  a\u0000\u001b[2Jb \t\r\n c\u2028d  ", 100)).isEqualTo("a [2Jb c d");
        assertThat(ModelOutput.word("  Drone\nShot ", 64)).isEqualTo("drone shot");
    }

    @Test
    void aCutNeverSplitsACharacterOutsideTheBasicPlane() {
        String faces = "😀".repeat(40);
        assertThat(ModelOutput.word(faces, 5)).isEqualTo("😀😀");
        assertThat(ModelOutput.line(faces, 6)).isEqualTo("😀😀…");
        assertThat(ModelOutput.line("short", 6)).isEqualTo("short");
    }

    @Test
    void aRawReplyOverTheAuditCapIsReplacedByItsSizeAndStart() {
        var small = Json.object().put("text", "hello");
        assertThat(ModelOutput.forAudit(small)).isSameAs(small);
        var large = Json.object().put("text", "é".repeat(ModelOutput.AUDIT_REPLY_BYTES / 2));
        var kept = ModelOutput.forAudit(large);
        assertThat(kept.get("omitted_bytes").asInt()).isEqualTo(ModelOutput.AUDIT_REPLY_BYTES + "{\"text\":\"\"}".length());
        assertThat(kept.get("start").asText()).hasSize(ModelOutput.AUDIT_START_CHARS).startsWith("{\"text\":\"ééé");
    }
}
