package io.assetindex.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaExtensionsTest {
    @TempDir
    Path workspace;

    private AppConfig load() {
        return ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
    }

    @Test
    void wellKnownMediaExtensionsHaveATypeAndSidecarsHaveNone() {
        assertThat(MediaExtensions.likelyType("oga")).contains(MediaType.AUDIO);
        assertThat(MediaExtensions.likelyType("AIFF")).contains(MediaType.AUDIO);
        assertThat(MediaExtensions.likelyType("mts")).contains(MediaType.VIDEO);
        assertThat(MediaExtensions.likelyType("nef")).contains(MediaType.IMAGE);
        assertThat(MediaExtensions.likelyType("txt")).isEmpty();
        assertThat(MediaExtensions.likelyType("xmp")).isEmpty();
    }

    @Test
    void everyExtensionIndexedByDefaultIsKnownWithItsType() {
        load().mediaTypeByExtension().forEach((extension, type) ->
                assertThat(MediaExtensions.likelyType(extension)).as(extension).contains(type));
    }

    @Test
    void theSuggestedConfigLineIsValidConfigThatKeepsWhatIsListedAndIndexesTheAdditions() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "extensions:\n  audio: [wav, mp3]\n  video: [mp4]\n");
        AppConfig before = load();
        Map<String, MediaType> additions = new HashMap<>();
        additions.put("oga", MediaType.AUDIO);
        additions.put("aiff", MediaType.AUDIO);
        additions.put("mts", MediaType.VIDEO);

        String line = MediaExtensions.configLine(before.mediaTypeByExtension(), additions);

        assertThat(line).isEqualTo("extensions: {video: [mp4, mts], audio: [mp3, wav, aiff, oga]}");
        Files.writeString(workspace.resolve("asset-index.yaml"), line + "\n");
        AppConfig after = load();
        assertThat(after.mediaTypeByExtension()).containsAllEntriesOf(before.mediaTypeByExtension())
                .containsAllEntriesOf(additions);
    }
}
