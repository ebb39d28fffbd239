package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the packaged jar, run as a subprocess on a workspace of real media files. */
class ScanJarIT {
    private static final String LOG_LINE_START = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) ";

    @TempDir
    Path workspace;

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    private void realMediaTree() throws IOException {
        for (String fixture : List.of("clip.mp4", "clip.mov", "clip.mkv", "clip.webm", "tone.mp3", "tone.m4a",
                "tone.flac", "tone.ogg", "still.webp", "still.heic")) {
            TestMedia.fixture(fixture, raw("fixtures/" + fixture));
        }
        for (int i = 0; i < 30; i++) {
            TestMedia.jpeg(raw("photos/day" + (i % 3) + "/img" + i + ".jpg"), 64 + i, 48, i);
        }
        TestMedia.image(raw("photos/scan.png"), "png", 100, 80, 99);
        TestMedia.wav(raw("audio/voice.wav"), 0.5, 1);
        Files.copy(raw("fixtures/clip.mp4"), raw("photos/duplicate-of-clip.mp4"));
        TestMedia.randomBytes(raw("broken/noise.jpg"), 5000, 3);
        TestMedia.write(raw("broken/empty.mov"), new byte[0]);
        TestMedia.jpeg(raw("photos/.hidden.jpg"), 8, 8, 1);
        TestMedia.jpeg(raw("downloads/big.jpg.crdownload"), 8, 8, 2);
        TestMedia.write(raw("photos/readme.txt"), "not media".getBytes());
    }

    @Test
    void scansARealMediaTreeThenARescanDoesNoWork() throws IOException {
        realMediaTree();

        JarRunner.Result first = JarRunner.run(workspace, "scan");

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out()).startsWith("scan: 45 files: 42 indexed, 1 new paths, 0 skipped, 0 unchanged, 2 failed, 0 deleted")
                .contains("\nleft out (extension not indexed): 1 .txt (e.g. raw_assets/photos/readme.txt)\n");
        assertThat(first.err()).isEmpty();
        Path database = workspace.resolve(".asset_index/index.db");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isEqualTo(42);
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL")).isEqualTo(43);
        assertThat(SqliteFile.value(database, "PRAGMA integrity_check")).isEqualTo("ok");

        List<String> outLog = Files.readAllLines(workspace.resolve(".asset_index/logs/scan.out.log"));
        assertThat(outLog).anyMatch(line -> line.matches(LOG_LINE_START
                + "INFO  \\[watcher\\] processed raw_assets/photos/day\\d/img\\d+\\.jpg in \\d+ms"));
        assertThat(outLog).anyMatch(line -> line.matches(LOG_LINE_START
                + "WARN  \\[watcher\\] failed raw_assets/broken/noise\\.jpg: not a readable image.*"));
        List<String> errLog = Files.readAllLines(workspace.resolve(".asset_index/logs/scan.err.log"));
        assertThat(errLog).anyMatch(line -> line.contains("failed raw_assets/broken/empty.mov: empty file"));
        assertThat(errLog).noneMatch(line -> line.contains("processed"));

        JarRunner.Result second = JarRunner.run(workspace, "scan", "--json");

        // The JVM reports a crash on stdout: "expected 0 but was 134" here was once an exit during the
        // model's load (ProcessExitTest), taken at first for bytes hashed.
        assertThat(second.exitCode()).as(second.err() + second.out()).isZero();
        JsonNode summary = Json.read(second.out());
        // Each failure shows the whole summary and the scan's log.
        String why = second.out() + "\n" + Files.readString(workspace.resolve(".asset_index/logs/scan.out.log"));
        assertThat(summary.get("unchanged").asInt()).as(why).isEqualTo(43);
        assertThat(summary.get("indexed").asInt() + summary.get("linked").asInt()).as(why).isZero();
        assertThat(summary.get("bytes_hashed").asLong()).as(why).isZero();
        assertThat(summary.get("failed").asInt()).as("bad files are retried on every start: " + why).isEqualTo(2);
    }

    @Test
    void oddFileNamesAreIndexedAndCannotForgeLogLines() throws IOException {
        TestMedia.jpeg(raw("line\nbreak [1] ünïcødé 名前.jpg"), 20, 20, 1);
        TestMedia.jpeg(raw("line\r\n2026-11-21T00:00:00.000Z INFO  [watcher] processed fake.jpg in 1ms.jpg"), 20, 20, 2);

        JarRunner.Result result = JarRunner.run(workspace, "scan");

        assertThat(result.out()).contains("2 indexed");
        List<String> outLog = Files.readAllLines(workspace.resolve(".asset_index/logs/scan.out.log"));
        assertThat(outLog).anyMatch(line -> line.endsWith("processed raw_assets/line\\nbreak [1] ünïcødé 名前.jpg in "
                + line.replaceAll(".* in ", "")));
        assertThat(outLog).noneMatch(line -> line.startsWith("2026-11-21T00:00:00.000Z"));
        assertThat(JarRunner.run(workspace, "log").out().lines()).hasSize(3);
    }

    @Test
    void rehashFlagReadsEveryFileAgainAndFindsNothingNew() throws IOException {
        TestMedia.jpeg(raw("a.jpg"), 20, 20, 1);
        TestMedia.fixture("clip.mp4", raw("b.mp4"));
        JarRunner.run(workspace, "scan");

        JsonNode summary = Json.read(JarRunner.run(workspace, "scan", "--rehash", "--json").out());

        assertThat(summary.get("skipped").asInt()).isEqualTo(2);
        assertThat(summary.get("bytes_hashed").asLong()).isPositive();
    }

    @Test
    void badConfigStopsBeforeDoingAnything() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "workers: many\n");
        TestMedia.jpeg(raw("a.jpg"), 20, 20, 1);

        JarRunner.Result result = JarRunner.run(workspace, "scan");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).isEqualTo("asset-index: bad config value workers: \"many\" (from "
                + workspace.resolve("asset-index.yaml").toRealPath() + "); allowed: 0 (one per CPU core) or a whole"
                + " number up to 256\n");
        assertThat(workspace.resolve(".asset_index")).doesNotExist();
    }

    @Test
    void databaseFromANewerVersionIsRefusedAndLeftAlone() throws IOException, SQLException {
        TestMedia.jpeg(raw("a.jpg"), 20, 20, 1);
        JarRunner.run(workspace, "scan");
        Path database = workspace.resolve(".asset_index/index.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_migrations VALUES (42, 'future', '2031-01-01T00:00:00.000Z')");
        }
        TestMedia.jpeg(raw("b.jpg"), 20, 20, 2);

        JarRunner.Result result = JarRunner.run(workspace, "scan");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines()).singleElement().asString()
                .contains("schema version 42, newer than this asset-index understands");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets")).isEqualTo(1);
    }

    @Test
    void helpAndVersionWork() {
        JarRunner.Result help = JarRunner.run(workspace, "scan", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("--rehash", "--json", "PATH");
        JarRunner.Result version = JarRunner.run(workspace, "--version");
        assertThat(version.out()).startsWith("asset-index 0.1.0");
        assertThat(version.err()).as("no warnings from native access or the JVM").isEmpty();
    }
}
