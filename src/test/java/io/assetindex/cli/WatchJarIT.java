package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: {@code asset-index watch} as a subprocess on a temp workspace, driven with real
 * file operations. Every wait is for a condition (a row, a state), never a fixed sleep.
 */
class WatchJarIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workspace;

    private Path database;
    private WatcherProcess watcher;

    @BeforeEach
    void fastDebounce() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\nworkers: 2\n");
        Files.createDirectories(raw(""));
        database = workspace.resolve(".asset_index/index.db");
    }

    @AfterEach
    void stopWatcher() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    private long live(String relPath) {
        return SqliteFile.count(database, "SELECT count(*) FROM asset_paths WHERE source_root = 'raw_assets'"
                + " AND rel_path = ? AND deleted_at IS NULL", relPath);
    }

    private void awaitLive(String relPath) {
        await(relPath + " indexed").atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .until(() -> Files.exists(database) && live(relPath) == 1);
    }

    private long count(String sql, Object... params) {
        return SqliteFile.count(database, sql, params);
    }

    @Test
    void droppedFileIsIndexedAndStateJsonAndStatusTellSo() {
        watcher = WatcherProcess.startWatching(workspace);
        TestMedia.jpeg(raw("beach.jpg"), 64, 48, 1);

        awaitLive("beach.jpg");

        await().atMost(WAIT).until(() -> watcher.state().path("processed_count").asInt() == 1);
        JsonNode state = watcher.state();
        assertThat(state.path("last_processed_path").asText()).isEqualTo("raw_assets/beach.jpg");
        for (String field : List.of("pid", "pid_start_time", "host", "version", "state", "watcher_started_at",
                "updated_at", "processed_count", "skipped_count", "failed_count", "queue_depth", "scan_progress",
                "last_processed_at", "last_processed_path", "last_error", "watch_paths", "debounce_seconds")) {
            assertThat(state.has(field)).as(field).isTrue();
        }
        JsonNode status = Json.read(JarRunner.run(workspace, "status", "--json").out());
        assertThat(status.at("/watcher/running").asBoolean()).isTrue();
        assertThat(status.at("/watcher/state/pid").asLong()).isEqualTo(watcher.pid());
        assertThat(watcher.output()).contains("[watcher] starting…", "[watcher] scan-on-start: 0 files",
                "[watcher] processed raw_assets/beach.jpg in ");
    }

    @Test
    void slowlyWrittenFileIsIndexedOnceWithItsFinalHash() throws Exception {
        watcher = WatcherProcess.startWatching(workspace);
        byte[] bytes = Files.readAllBytes(TestMedia.wav(workspace.resolve("source.wav"), 2.0, 7));
        Path target = raw("slow.wav");
        int chunks = 10;
        try (OutputStream out = Files.newOutputStream(target)) {
            for (int i = 0; i < chunks; i++) {
                int from = bytes.length * i / chunks;
                out.write(bytes, from, bytes.length * (i + 1) / chunks - from);
                out.flush();
                Thread.sleep(150); // a slow copy: pauses shorter than the 0.3 s quiet period
            }
        }

        awaitLive("slow.wav");

        String finalHash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        assertThat(SqliteFile.rows(database, "SELECT status, content_hash FROM process_log WHERE file_path = ?",
                "raw_assets/slow.wav")).containsExactly(Map.of("status", "ok", "content_hash", finalHash));
    }

    @Test
    void movedFileAndRenamedFolderKeepTheirAssetsWithoutNewAnalysis() throws IOException {
        watcher = WatcherProcess.startWatching(workspace);
        TestMedia.jpeg(raw("shoot/a.jpg"), 40, 30, 1);
        TestMedia.fixture("clip.mp4", raw("shoot/clip.mp4"));
        awaitLive("shoot/a.jpg");
        awaitLive("shoot/clip.mp4");
        long analyses = count("SELECT count(*) FROM analysis_cache");

        Files.move(raw("shoot"), raw("renamed"));
        Files.move(raw("renamed/a.jpg"), Files.createDirectories(raw("elsewhere")).resolve("a-moved.jpg"));

        awaitLive("renamed/clip.mp4");
        awaitLive("elsewhere/a-moved.jpg");
        await().atMost(WAIT).until(() -> live("shoot/a.jpg") + live("shoot/clip.mp4") == 0);
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM analysis_cache")).isEqualTo(analyses);
        assertThat(SqliteFile.value(database, "SELECT detail FROM process_log WHERE file_path = ?",
                "raw_assets/elsewhere/a-moved.jpg")).isEqualTo("new path for known content");
    }

    @Test
    void deletedFileLeavesTheLivePathsAndIsRecognisedWhenItComesBack() throws IOException {
        watcher = WatcherProcess.startWatching(workspace);
        Path photo = TestMedia.jpeg(raw("a.jpg"), 40, 30, 1);
        awaitLive("a.jpg");
        byte[] bytes = Files.readAllBytes(photo);

        Files.delete(photo);
        await().atMost(WAIT).until(() -> live("a.jpg") == 0);
        assertThat(watcher.output()).contains("[watcher] deleted raw_assets/a.jpg (1 indexed path)");

        TestMedia.write(raw("back/a.jpg"), bytes);
        awaitLive("back/a.jpg");
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(1);
    }

    @Test
    void burstOfFilesIsIndexedOnceEachWithABoundedQueue() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\nmax_pending_paths: 200\n");
        watcher = WatcherProcess.startWatching(workspace);
        Path staging = Files.createDirectories(workspace.resolve("staging/drop"));
        // Five times what the queue may hold: most of the burst waits for a rescan.
        IntStream.range(0, 750).forEach(i -> TestMedia.jpeg(staging.resolve("shot" + i + ".jpg"), 16, 16, i));

        Files.move(staging, raw("drop")); // a whole tree arrives at once
        for (int i = 0; i < 250; i++) {
            TestMedia.jpeg(raw("loose/photo" + i + ".jpg"), 16, 16, 10_000 + i);
        }

        await("1000 files indexed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL") == 1000);
        assertThat(count("SELECT count(*) FROM (SELECT file_path FROM process_log GROUP BY file_path"
                + " HAVING count(*) > 1)")).as("files processed twice").isZero();
        assertThat(count("SELECT count(*) FROM process_log WHERE status = 'failed'")).isZero();
    }

    @Test
    void aFloodOfFilesWrittenAtOnceIsIndexedOnceEach() throws IOException {
        watcher = WatcherProcess.startWatching(workspace);
        // Written as fast as the disk takes them, three times the 512 events the JDK queues per
        // folder: whether the events keep up or overflow (then a rescan makes up for them; the
        // in-process tests of WatchDaemon inject overflows), every file is indexed once.
        int files = 1500;
        List<byte[]> photos = IntStream.range(0, files).mapToObj(i -> TestMedia.jpegBytes(16, 16, i)).toList();
        Path folder = Files.createDirectories(raw("flood"));
        for (int i = 0; i < files; i++) {
            Files.write(folder.resolve("f" + i + ".jpg"), photos.get(i));
        }

        await(files + " files indexed").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(database)
                        && count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL") == files);
        assertThat(count("SELECT count(*) FROM (SELECT file_path FROM process_log GROUP BY file_path"
                + " HAVING count(*) > 1)")).as("files processed twice").isZero();
    }

    @Test
    void changedThumbnailSettingsAreAppliedToEveryAssetInTheBackground() throws IOException {
        watcher = WatcherProcess.startWatching(workspace);
        for (int i = 0; i < 3; i++) {
            TestMedia.jpeg(raw("photo" + i + ".jpg"), 640, 480, i);
        }
        TestMedia.fixture("clip.mp4", raw("clip.mp4"));
        TestMedia.fixture("tone.mp3", raw("tone.mp3"));
        await().atMost(WAIT).until(() -> Files.exists(database)
                && count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL") == 5);
        long probes = count("SELECT count(*) FROM analysis_cache WHERE analyzer = 'probe'");
        assertThat(watcher.terminate(Duration.ofSeconds(10))).isZero();

        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\nmedia:\n  thumbnail_size: 96\n");
        watcher = WatcherProcess.startWatching(workspace);

        await("thumbnails remade").atMost(WAIT)
                .until(() -> count("SELECT count(*) FROM derived_files WHERE size = 96") == 4);
        await().atMost(WAIT).until(() -> watcher.state().path("reanalysis").isNull());
        assertThat(count("SELECT count(*) FROM analysis_cache WHERE analyzer = 'probe'")).isEqualTo(probes);
        assertThat(watcher.output()).contains("[thumbnail] 4 assets have no result under the current settings: re-analyzing them",
                "[thumbnail] re-analysis done: 4 of 4 assets");
    }

    @Test
    void secondWatcherExitsThreeNamingThePidThatHoldsTheLock() {
        watcher = WatcherProcess.startWatching(workspace);

        JarRunner.Result second = JarRunner.run(workspace, "watch");

        assertThat(second.exitCode()).isEqualTo(ExitCode.LOCKED);
        assertThat(second.err()).isEqualTo("asset-index: another watcher or server (pid " + watcher.pid() + ") is running on "
                + workspace.toAbsolutePath() + "; stop it first, or use 'asset-index status' to see it\n");
        assertThat(second.out()).isEmpty();
        assertThat(watcher.isAlive()).isTrue();
    }

    @Test
    void killedWatcherIsTakenOverAndNothingIndexedIsLost() throws IOException {
        watcher = WatcherProcess.startWatching(workspace);
        for (int i = 0; i < 20; i++) {
            TestMedia.jpeg(raw("before/p" + i + ".jpg"), 16, 16, i);
        }
        await().atMost(WAIT).until(() -> Files.exists(database)
                && count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL") == 20);
        long killedPid = watcher.pid();
        watcher.kill();
        assertThat(watcher.state().path("state").asText()).isEqualTo("watching");
        for (int i = 0; i < 5; i++) {
            TestMedia.jpeg(raw("while-down/p" + i + ".jpg"), 16, 16, 100 + i);
        }
        JsonNode status = Json.read(JarRunner.run(workspace, "status", "--json").out());
        assertThat(status.at("/watcher/running").asBoolean()).isFalse();
        assertThat(status.at("/watcher/stale").asBoolean()).isTrue();

        watcher = WatcherProcess.startWatching(workspace);

        await().atMost(WAIT).until(() -> count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL") == 25);
        assertThat(watcher.output()).contains("the previous watcher (pid " + killedPid + ", last state 'watching')"
                + " did not stop cleanly");
        assertThat(SqliteFile.value(database, "PRAGMA integrity_check")).isEqualTo("ok");
    }

    @Test
    void sigtermStopsCleanlyWithExitZeroAndWritesStopped() {
        watcher = WatcherProcess.startWatching(workspace);
        TestMedia.jpeg(raw("a.jpg"), 16, 16, 1);
        awaitLive("a.jpg");

        long start = System.nanoTime();
        int exit = watcher.terminate(Duration.ofSeconds(10));

        assertThat(exit).isZero();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(watcher.state().path("state").asText()).isEqualTo("stopped");
        assertThat(watcher.output()).contains("[watcher] stopping");
        JsonNode status = Json.read(JarRunner.run(workspace, "status", "--json").out());
        assertThat(status.at("/watcher/running").asBoolean()).isFalse();
        assertThat(status.at("/watcher/stale").asBoolean()).isFalse();
    }

    @Test
    void missingRootIsReportedAndPickedUpWhenItAppearsAndWhenItComesBack() throws IOException {
        Files.delete(raw(""));
        watcher = WatcherProcess.startWatching(workspace);
        assertThat(watcher.state().at("/roots/raw_assets").asText()).isEqualTo("missing");
        assertThat(watcher.state().path("last_error").asText()).contains("watch path raw_assets is missing");

        Path staging = TestMedia.jpeg(workspace.resolve("mount/a.jpg"), 16, 16, 1).getParent();
        Files.move(staging, raw("")); // the disk is mounted
        awaitLive("a.jpg");
        await().atMost(WAIT).until(() -> "watching".equals(watcher.state().at("/roots/raw_assets").asText()));

        Files.move(raw(""), workspace.resolve("unmounted")); // and unmounted again
        await().atMost(WAIT).until(() -> "missing".equals(watcher.state().at("/roots/raw_assets").asText()));
        assertThat(live("a.jpg")).as("files under a missing root are kept").isEqualTo(1);

        Files.move(workspace.resolve("unmounted"), raw(""));
        TestMedia.jpeg(raw("b.jpg"), 16, 16, 2);
        awaitLive("b.jpg");
        assertThat(live("a.jpg")).isEqualTo(1);
        assertThat(watcher.isAlive()).isTrue();
    }

    @Test
    void hiddenPartialAndIndexFilesAreNeverIndexed() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\nwatch_paths: [.]\n");
        watcher = WatcherProcess.startWatching(workspace);
        TestMedia.jpeg(workspace.resolve(".hidden/x.jpg"), 16, 16, 1);
        TestMedia.jpeg(workspace.resolve("download.jpg.part"), 16, 16, 2);
        TestMedia.jpeg(workspace.resolve("real.jpg"), 16, 16, 3);

        await().atMost(WAIT).until(() -> Files.exists(database) && count("SELECT count(*) FROM asset_paths") >= 1);
        // real.jpg is in; give the others the same time to show up, then check they did not.
        await().during(Duration.ofSeconds(1)).atMost(WAIT).until(() -> count("SELECT count(*) FROM asset_paths") == 1);
        assertThat(SqliteFile.value(database, "SELECT rel_path FROM asset_paths")).isEqualTo("real.jpg");
        assertThat(count("SELECT count(*) FROM process_log")).isEqualTo(1);
    }
}
