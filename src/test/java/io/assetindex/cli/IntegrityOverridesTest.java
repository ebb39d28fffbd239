package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The user's overrides of integrity verdicts on a real cut JPEG: {@code integrity accept} indexes
 * a false positive for good (moves, copies, re-analysis), {@code integrity revoke} undoes it, and
 * {@code integrity.ignore_patterns} turns a chosen checker message into a warning by judging the
 * cached verdict again, without decoding the file again.
 */
class IntegrityOverridesTest {
    @TempDir
    Path workspace;

    private InProcess cli;
    private String cutHash;

    @BeforeEach
    void scanACutJpeg() throws IOException {
        config("");
        byte[] jpeg = TestMedia.jpegBytes(320, 240, 1);
        TestMedia.write(workspace.resolve("raw_assets/harbour_cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        TestMedia.jpeg(workspace.resolve("raw_assets/fine.jpg"), 320, 240, 3);
        cli = new InProcess(workspace);
        assertThat(cli.json("scan").path("failed").asInt()).isEqualTo(1);
        cutHash = cli.json("integrity").at("/findings/0/content_hash").asText();
        assertThat(cutHash).hasSize(64);
    }

    private void config(String extra) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\n" + extra);
    }

    @Test
    void anAcceptedFalsePositiveIsIndexedSearchableAndStaysSoThroughMovesCopiesAndReanalysis() throws IOException {
        JsonNode accepted = cli.json("integrity", "accept", "raw_assets/harbour_cut.jpg", "--note", "opens in Photoshop");
        assertThat(accepted.path("changed").asBoolean()).isTrue();
        assertThat(accepted.path("indexed").asInt()).isEqualTo(1);
        assertThat(accepted.path("verdict").asText()).startsWith("corrupt: ");

        assertThat(InProcess.firstPaths(cli.search("harbour", "--mode", "keyword")))
                .containsExactly("raw_assets/harbour_cut.jpg");
        JsonNode shown = cli.json("show", "raw_assets/harbour_cut.jpg");
        assertThat(shown.at("/integrity_accepted/note").asText()).isEqualTo("opens in Photoshop");
        assertThat(shown.at("/integrity_accepted/by").asText()).isEqualTo(System.getProperty("user.name"));
        assertThat(shown.at("/integrity_accepted/host").asText()).isNotBlank();
        assertThat(cli.run("show", "raw_assets/harbour_cut.jpg").out())
                .contains("integrity: accepted as good by " + System.getProperty("user.name"))
                .contains(": opens in Photoshop");
        JsonNode listed = cli.json("integrity");
        assertThat(listed.path("corrupt").asInt()).isZero();
        assertThat(listed.path("accepted").asInt()).isEqualTo(1);
        assertThat(listed.at("/findings/0/verdict").asText()).isEqualTo("accepted");
        assertThat(listed.at("/findings/0/accepted/note").asText()).isEqualTo("opens in Photoshop");
        assertThat(cli.json("status").at("/counts/accepted_files").asInt()).isEqualTo(1);
        assertThat(cli.json("status").at("/counts/corrupt_files").asInt()).isZero();

        Files.createDirectories(workspace.resolve("raw_assets/moved"));
        Files.move(workspace.resolve("raw_assets/harbour_cut.jpg"), workspace.resolve("raw_assets/moved/harbour.jpg"));
        Files.copy(workspace.resolve("raw_assets/moved/harbour.jpg"), workspace.resolve("raw_assets/copy.jpg"));
        JsonNode rescan = cli.json("scan");
        assertThat(rescan.path("failed").asInt()).isZero();
        assertThat(cli.json("requeue", "--analyzer", "integrity", "--all").at("/reanalysis/failed").asInt()).isZero();
        JsonNode after = cli.json("show", cutHash);
        assertThat(after.path("paths")).filteredOn(p -> p.path("deleted_at").isNull())
                .extracting(p -> p.path("path").asText())
                .containsExactlyInAnyOrder("raw_assets/moved/harbour.jpg", "raw_assets/copy.jpg");
        assertThat(after.at("/integrity_accepted/note").asText()).isEqualTo("opens in Photoshop");
        assertThat(cli.json("scan", "--rehash").path("failed").asInt()).isZero();
    }

    @Test
    void revokingPutsTheCorruptContentBackOutOfTheIndex() {
        cli.json("integrity", "accept", cutHash.substring(0, 8));
        assertThat(cli.run("show", cutHash).exitCode()).isZero();

        JsonNode revoked = cli.json("integrity", "revoke", "raw_assets/harbour_cut.jpg");

        assertThat(revoked.path("failed").asInt()).isEqualTo(1);
        assertThat(cli.run("show", cutHash).exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(cli.json("integrity").at("/findings/0/verdict").asText()).isEqualTo("corrupt");
        assertThat(cli.json("scan").path("failed").asInt()).isEqualTo(1); // tried again: still corrupt
        InProcess.Run again = cli.run("integrity", "revoke", cutHash);
        assertThat(again.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(again.err()).contains("is not accepted");
    }

    @Test
    void onlyAJudgedFileCanBeAcceptedAndTheTargetMustBeKnown() throws IOException {
        InProcess.Run fine = cli.run("integrity", "accept", "raw_assets/fine.jpg");
        assertThat(fine.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(fine.err()).contains("readable without warnings: there is nothing to accept");

        TestMedia.jpeg(workspace.resolve("raw_assets/new.jpg"), 64, 64, 9);
        assertThat(cli.run("integrity", "accept", "raw_assets/new.jpg").err()).contains("run 'asset-index scan' first");
        assertThat(cli.run("integrity", "accept", "elsewhere.jpg").err()).contains("is not in a watch path");
        assertThat(cli.run("integrity", "accept", "abcdef12").err()).contains("no checked content's SHA-256 starts");
        assertThat(cli.run("integrity", "accept", cutHash, "--note", "x".repeat(1001)).exitCode())
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void ignoreRulesMakeTheChosenMessagesWarningsWithoutDecodingAgain() throws IOException {
        JsonNode verdict = integrityResult();
        List<String> messages = new ArrayList<>();
        verdict.at("/said/errors").forEach(error -> messages.add(error.asText()));
        assertThat(messages).hasSize(2); // "Truncated File - Missing EOI marker", "Corrupt JPEG data: premature end…"
        long checkMs = verdict.path("check_ms").asLong();
        Object checkedAt = checkedAt();

        config(rules("{pattern: " + yaml(messages) + ", types: [video]}"));
        assertThat(cli.json("scan").path("failed").asInt()).isEqualTo(1); // the rule is for video only
        config(rules(yaml(messages.subList(0, 1))));
        assertThat(cli.json("scan").path("failed").asInt()).isEqualTo(1); // the other message is still damage
        assertThat(integrityResult().path("ignored")).extracting(JsonNode::asText).containsExactly(messages.get(0));

        config(rules(yaml(messages)));
        JsonNode scan = cli.json("scan");

        assertThat(scan.path("indexed").asInt()).isEqualTo(1);
        JsonNode rejudged = integrityResult();
        assertThat(rejudged.path("corrupt").asBoolean()).isFalse();
        assertThat(rejudged.path("warning").asBoolean()).isTrue();
        assertThat(rejudged.path("ignored")).extracting(JsonNode::asText).containsExactlyElementsOf(messages);
        assertThat(rejudged.path("said")).isEqualTo(verdict.path("said"));
        assertThat(rejudged.path("check_ms").asLong()).isEqualTo(checkMs);
        assertThat(checkedAt()).as("the cached verdict was judged again, not computed again").isEqualTo(checkedAt);
        assertThat(cli.json("integrity").at("/findings/0/verdict").asText()).isEqualTo("warning");
        assertThat(cli.run("show", cutHash).out()).contains("2 errors made warnings by integrity.ignore_patterns");

        config("");
        cli.run("scan");
        JsonNode strictAgain = cli.json("integrity");
        assertThat(strictAgain.at("/findings/0/verdict").asText()).isEqualTo("corrupt");
        assertThat(strictAgain.at("/findings/0/indexed").asBoolean()).isTrue();
    }

    private static String rules(String rule) {
        return "integrity:\n  ignore_patterns:\n    - " + rule + "\n";
    }

    /** A YAML single-quoted regular expression finding any of these messages as they are. */
    private static String yaml(List<String> messages) {
        return "'" + String.join("|", messages.stream().map(Pattern::quote).toList()).replace("'", "''") + "'";
    }

    @Test
    void aBadIgnorePatternStopsWithOneLineNamingIt() throws IOException {
        config("integrity:\n  ignore_patterns: ['(unclosed']\n");
        InProcess.Run run = cli.run("scan");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("integrity.ignore_patterns").contains("'(unclosed' is not one");
        config("integrity:\n  ignore_patterns: [{pattern: x, kinds: [video]}]\n");
        assertThat(cli.run("scan").err()).contains("unknown key kinds");
    }

    /** When the cut file's content was checked (a new check writes its row again). */
    private Object checkedAt() {
        return SqliteFile.value(workspace.resolve(".asset_index/index.db"), "SELECT created_at FROM analysis_cache"
                + " WHERE asset_id = ? AND analyzer = 'integrity'", cutHash);
    }

    /** The cached integrity result of the cut file's content. */
    private JsonNode integrityResult() {
        return Json.read((String) SqliteFile.value(workspace.resolve(".asset_index/index.db"), "SELECT result_json"
                + " FROM analysis_cache WHERE asset_id = ? AND analyzer = 'integrity'", cutHash));
    }
}
