package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code failures} on real files indexed by {@code scan}, as a user runs it: the files whose last
 * attempt failed, newest first, in a table or one JSON document, a page at a time.
 */
class FailuresCommandTest {
    @TempDir
    Path workspace;

    private InProcess cli;

    /** A workspace with a good picture and two files that are not pictures, one of them deleted since. */
    private void indexAWorkspaceWithFailures() throws IOException {
        Path raw = workspace.resolve("raw_assets");
        TestMedia.jpeg(raw.resolve("good.jpg"), 64, 48, 1);
        TestMedia.write(raw.resolve("broken/bad.jpg"), "not a picture".getBytes(StandardCharsets.UTF_8));
        TestMedia.write(raw.resolve("broken/vanished.jpg"), "nor this".getBytes(StandardCharsets.UTF_8));
        cli = new InProcess(workspace);
        assertThat(cli.run("scan").exitCode()).isZero();
        Files.delete(raw.resolve("broken/vanished.jpg"));
    }

    private List<String> lines(InProcess.Run run) {
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return run.out().lines().toList();
    }

    @Test
    void listsEachFailedFileWithTheStageAndReasonThenTheTotalAndHowToTryThemAgain() throws IOException {
        indexAWorkspaceWithFailures();
        List<String> lines = lines(cli.run("failures"));
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).matches("WHEN +STAGE +PATH +REASON");
        assertThat(lines.subList(1, 3)).anySatisfy(line -> assertThat(line)
                .matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d +\\w+ +raw_assets/broken/bad\\.jpg +\\S.*"));
        assertThat(lines.subList(1, 3)).anySatisfy(line -> assertThat(line)
                .contains("raw_assets/broken/vanished.jpg (gone)"));
        assertThat(lines.get(3)).isEqualTo("2 files whose last attempt failed; 'asset-index requeue' tries them again");
    }

    @Test
    void jsonIsOneDocumentWithTheTotalThePageAndEachFailure() throws IOException {
        indexAWorkspaceWithFailures();
        InProcess.Run run = cli.run("failures", "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode document = run.json();
        assertThat(fieldNames(document)).containsExactly("total", "limit", "offset", "failures");
        assertThat(document.get("total").asInt()).isEqualTo(2);
        assertThat(document.get("limit").asInt()).isEqualTo(50);
        JsonNode newest = document.at("/failures/0");
        assertThat(fieldNames(newest)).containsExactly("path", "source_root", "rel_path", "stage", "error", "ran_at",
                "content_hash", "asset_id", "present");
        assertThat(newest.get("source_root").asText()).isEqualTo("raw_assets");
        assertThat(newest.get("rel_path").asText()).isEqualTo(newest.get("path").asText().substring("raw_assets/".length()));
        assertThat(newest.get("asset_id").isNull()).isTrue();
        assertThat(document.at("/failures/0/ran_at").asText()).isGreaterThanOrEqualTo(document.at("/failures/1/ran_at")
                .asText());
    }

    @Test
    void pagesThroughTheFailuresAndSaysWhenTheOffsetIsPastTheLast() throws IOException {
        indexAWorkspaceWithFailures();
        List<String> first = lines(cli.run("failures", "--limit", "1"));
        assertThat(first).hasSize(3);
        assertThat(first.get(2)).isEqualTo("1 of 2 files whose last attempt failed; 'asset-index requeue' tries them"
                + " again");
        List<String> second = lines(cli.run("failures", "--limit", "1", "--offset", "1"));
        assertThat(second.get(1)).isNotEqualTo(first.get(1));
        assertThat(lines(cli.run("failures", "--offset", "5"))).containsExactly("0 of 2 files whose last attempt"
                + " failed (--offset 5 is past the last); 'asset-index requeue' tries them again");
    }

    @Test
    void aFileIndexedSinceItFailedIsNoLongerListed() throws IOException {
        indexAWorkspaceWithFailures();
        Files.delete(workspace.resolve("raw_assets/broken/bad.jpg"));
        TestMedia.jpeg(workspace.resolve("raw_assets/broken/bad.jpg"), 64, 48, 2);
        assertThat(cli.run("scan").exitCode()).isZero();
        JsonNode document = cli.run("failures", "--json").json();
        assertThat(document.get("total").asInt()).isEqualTo(1);
        assertThat(document.at("/failures/0/path").asText()).isEqualTo("raw_assets/broken/vanished.jpg");
        assertThat(document.at("/failures/0/present").asBoolean()).isFalse();
    }

    @Test
    void anIndexWithoutFailuresSaysSo() {
        TestMedia.jpeg(workspace.resolve("raw_assets/good.jpg"), 64, 48, 1);
        cli = new InProcess(workspace);
        assertThat(cli.run("scan").exitCode()).isZero();
        assertThat(lines(cli.run("failures"))).containsExactly("no file's last attempt failed");
    }

    @Test
    void aPageOutsideItsBoundsIsBadUsage() throws IOException {
        indexAWorkspaceWithFailures();
        for (String[] args : List.of(new String[] {"failures", "--limit", "0"},
                new String[] {"failures", "--limit", "10001"}, new String[] {"failures", "--offset", "-1"})) {
            InProcess.Run run = cli.run(args);
            assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(run.out()).isEmpty();
            assertThat(run.err()).isEqualTo("asset-index: --limit must be 1 to 10000 and --offset at least 0\n");
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
