package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.store.DatabaseFiles;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands as a script or a person uses them, run in-process with captured output. */
class CliTest {
    @TempDir
    Path workspace;

    private InProcess cli;

    @BeforeEach
    void setUp() {
        cli = new InProcess(workspace);
    }

    private InProcess.Run run(String... args) {
        return cli.run(args);
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    @Test
    void helpListsTheCommandsAndExitCodes() {
        InProcess.Run help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("scan", "status", "show", "log", "Exit codes:", "3  another watcher");
    }

    @Test
    void helpListsEveryCommandAndEachCommandRunsWithTheGlobalOptionsAnywhere() {
        InProcess.Run help = run("--help");
        for (Class<?> subcommand : Main.SUBCOMMANDS) {
            assertThat(help.out()).contains("  " + subcommand.getAnnotation(picocli.CommandLine.Command.class).name() + " ");
        }
        // Only the command a line runs is built: the global options still come before or after it.
        assertThat(run("--workspace", workspace.toString(), "status", "--json").exitCode()).isZero();
        assertThat(run("status", "--workspace", workspace.toString(), "--json").exitCode()).isZero();
        assertThat(run("help", "status").out()).contains("Usage: asset-index status");
        InProcess.Run typo = run("stauts");
        assertThat(typo.exitCode()).isEqualTo(2);
        assertThat(typo.err()).contains("'stauts'");
    }

    private static Class<?> invoked(String[] args) {
        return Main.invoked(new picocli.CommandLine(new Main(null)).getCommandSpec(), args);
    }

    @Test
    void theCommandALineRunsIsItsFirstWordThatIsNotAnOption() {
        assertThat(invoked(new String[] {"--workspace", "list", "status", "--json"})).isEqualTo(StatusCommand.class);
        assertThat(invoked(new String[] {"--config=x.yaml", "search", "list"})).isEqualTo(SearchCommand.class);
        assertThat(invoked(new String[] {"--config", "scan", "-h"})).isNull();
        assertThat(invoked(new String[] {"help", "status"})).isNull();
        assertThat(invoked(new String[] {"stauts"})).isNull();
        assertThat(invoked(new String[] {"--version"})).isNull();
        assertThat(invoked(new String[] {})).isNull();
    }

    @Test
    void scanWithJsonPrintsOneDocumentAndNothingElse() {
        TestMedia.jpeg(raw("a.jpg"), 10, 10, 1);
        TestMedia.randomBytes(raw("b.jpg"), 100, 1);
        InProcess.Run scan = run("scan", "--json");
        assertThat(scan.exitCode()).isZero();
        JsonNode summary = scan.json();
        assertThat(summary.get("indexed").asInt()).isEqualTo(1);
        assertThat(summary.get("failed").asInt()).isEqualTo(1);
        assertThat(summary.get("missing_roots")).isEmpty();
        assertThat(summary.has("bytes_hashed")).isTrue();
    }

    @Test
    void scanPrintsASummaryLineAndPointsAtFailures() {
        TestMedia.jpeg(raw("a.jpg"), 10, 10, 1);
        TestMedia.write(raw("empty.jpg"), new byte[0]);
        InProcess.Run scan = run("scan");
        assertThat(scan.out()).startsWith("scan: 2 files: 1 indexed, 0 new paths, 0 skipped, 0 unchanged, 1 failed, 0 deleted in ")
                .contains("asset-index log --status failed");
    }

    @Test
    void scanOfAMissingWatchPathFailsWithWhatToDo() {
        InProcess.Run scan = run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(scan.err()).contains("watch path raw_assets does not exist").contains("create it or fix watch_paths");
    }

    @Test
    void statusOfAWorkspaceWithoutAnIndexSaysSoAndCreatesNothing() {
        InProcess.Run status = run("status", "--json");
        assertThat(status.exitCode()).isZero();
        assertThat(status.json().at("/index/exists").asBoolean()).isFalse();
        assertThat(status.json().get("counts").isNull()).isTrue();
        assertThat(workspace.resolve(".asset_index")).doesNotExist();
    }

    @Test
    void statusCountsWhatTheIndexHolds() {
        TestMedia.jpeg(raw("a.jpg"), 10, 10, 1);
        TestMedia.wav(raw("b.wav"), 0.1, 1);
        run("scan");
        JsonNode status = run("status", "--json").json();
        assertThat(status.at("/counts/assets").asInt()).isEqualTo(2);
        assertThat(status.at("/counts/image").asInt()).isEqualTo(1);
        assertThat(status.at("/counts/audio").asInt()).isEqualTo(1);
        assertThat(status.at("/counts/attempts_ok").asInt()).isEqualTo(2);
        assertThat(status.at("/index/schema_version").asInt()).isEqualTo(DatabaseFiles.latestSchemaVersion());
        assertThat(status.at("/counts/last_attempt_at").asText()).matches(".*[+-]0[12]:00$");
        assertThat(run("status").out()).contains("assets        2 (1 images, 0 videos, 1 audio)");
    }

    @Test
    void logShowsFailuresWithStageAndReason() {
        TestMedia.jpeg(raw("a.jpg"), 10, 10, 1);
        TestMedia.randomBytes(raw("noise.jpg"), 100, 1);
        run("scan");
        InProcess.Run log = run("log", "--status", "failed");
        assertThat(log.out()).contains("raw_assets/noise.jpg", "probe: not a readable image").doesNotContain("a.jpg");
        JsonNode entries = run("log", "--json", "--limit", "1").json().get("entries");
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).get("status").asText()).isIn("ok", "failed");
    }

    @Test
    void showFindsAnAssetByPathOrIdPrefix() {
        TestMedia.jpeg(raw("a.jpg"), 30, 20, 1);
        run("scan");
        String id = (String) SqliteFile.value(workspace.resolve(".asset_index/index.db"), "SELECT id FROM assets");

        InProcess.Run byPath = run("show", "raw_assets/a.jpg");
        assertThat(byPath.exitCode()).isZero();
        assertThat(byPath.out()).contains(id, "width", "30", "raw_assets/a.jpg", "new content");

        JsonNode json = run("show", id.substring(0, 8), "--json").json();
        assertThat(json.at("/asset/id").asText()).isEqualTo(id);
        assertThat(json.at("/asset/raw_json/probe/format").asText()).isEqualTo("JPEG");
        assertThat(json.at("/paths/0/path").asText()).isEqualTo("raw_assets/a.jpg");
        assertThat(json.get("analyses")).extracting(a -> a.get("analyzer").asText())
                .containsExactlyInAnyOrder("probe", "integrity", "thumbnail", "embed");
        assertThat(json.at("/asset/embed_model").asText()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(json.at("/asset/embed_source").asText()).contains("image");
    }

    @Test
    void showOfSomethingUnknownFailsWithOneLine() {
        TestMedia.jpeg(raw("a.jpg"), 30, 20, 1);
        run("scan");
        InProcess.Run unknown = run("show", "deadbeef00");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(unknown.err()).isEqualTo("asset-index: no asset with path or id deadbeef00; a file that is not indexed"
                + " yet: run 'asset-index scan' (or see why with 'asset-index log')\n");
        assertThat(cli.run("show", "dead").err()).contains("an id prefix needs at least 6 characters");
        assertThat(unknown.out()).isEmpty();
    }

    @Test
    void readCommandsOnAWorkspaceWithoutIndexSayWhatToDo() {
        InProcess.Run log = run("log");
        assertThat(log.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(log.err()).contains("no index in").contains("run 'asset-index scan'");
        assertThat(workspace.resolve(".asset_index")).doesNotExist();
    }

    @Test
    void badConfigStopsWithExitTwoAndOneLine() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce: 3\n");
        InProcess.Run scan = run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(scan.err().lines()).singleElement().asString()
                .startsWith("asset-index: unknown config key 'debounce'");
        assertThat(workspace.resolve(".asset_index")).doesNotExist();
    }

    @Test
    void badFlagStopsWithExitTwo() {
        InProcess.Run log = run("log", "--limit", "lots");
        assertThat(log.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(log.err()).contains("--limit").contains("Try 'asset-index log --help'");
    }

    @Test
    void workspaceComesFromTheEnvironmentWhenNotGiven() throws IOException {
        Path other = Files.createDirectories(workspace.resolve("other"));
        cli.env.put("ASSET_INDEX_WORKSPACE", other.toString());
        assertThat(run("status", "--json").json().get("workspace").asText()).isEqualTo(other.toString());
        assertThat(run("status", "--json", "--workspace", workspace.toString()).json().get("workspace").asText())
                .isEqualTo(workspace.toString());
    }

    @Test
    void aWatchPathFoundEmptyIsHeldUntilScanConfirmDeletesAndStatusSaysSo() throws IOException {
        TestMedia.jpeg(raw("a.jpg"), 10, 10, 1);
        TestMedia.jpeg(raw("b.jpg"), 10, 10, 2);
        run("scan");
        Files.delete(raw("a.jpg"));
        Files.delete(raw("b.jpg"));

        InProcess.Run held = run("scan");

        assertThat(held.exitCode()).isZero();
        assertThat(held.out()).contains("0 deleted");
        assertThat(held.err()).contains("raw_assets: the walk found no file where 2 are indexed; nothing there was"
                + " marked deleted").contains("asset-index scan --confirm-deletes");
        assertThat(run("status").out()).containsPattern("deletions held +raw_assets since")
                .contains("--confirm-deletes raw_assets");
        JsonNode status = run("status", "--json").json();
        assertThat(status.at("/counts/held_deletions/0/watch_path").asText()).isEqualTo("raw_assets");

        InProcess.Run confirmed = run("scan", "--confirm-deletes", "raw_assets");

        assertThat(confirmed.out()).contains("2 deleted");
        assertThat(run("status").out()).doesNotContain("deletions held");
    }

    @Test
    void statusCountsTheFilesThatKeepFailing() {
        TestMedia.randomBytes(raw("broken.jpg"), 100, 1);
        run("scan");

        assertThat(run("status", "--json").json().at("/counts/failing_files").asInt()).isEqualTo(1);
        assertThat(run("status").out()).containsPattern("failing files +1 \\(rescans leave them alone until they change");
    }
}
