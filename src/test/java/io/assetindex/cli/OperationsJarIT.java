package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assetindex.store.IndexDatabase;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.MediaTree;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the operations commands of the packaged jar against a running watcher and moved workspaces. */
class OperationsJarIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workspace;
    @TempDir
    Path elsewhere;

    private Path database;
    private WatcherProcess watcher;

    @BeforeEach
    void fastDebounce() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.2\nworkers: 2\n");
        Files.createDirectories(workspace.resolve("raw_assets"));
        database = workspace.resolve(".asset_index/index.db");
    }

    @AfterEach
    void stopWatcher() {
        if (watcher != null) {
            watcher.close();
        }
    }

    private long count(Path db, String sql) {
        return SqliteFile.count(db, sql);
    }

    @Test
    void backupWhileTheWatcherIndexesABurstIsIntactAndRestoresOnceTheWatcherStops() throws Exception {
        watcher = WatcherProcess.startWatching(workspace);
        AtomicBoolean dropping = new AtomicBoolean(true);
        Thread dropper = new Thread(() -> {
            // Until told to stop: the watcher must still have files to index after the backup.
            for (int i = 0; dropping.get() && i < 20_000; i++) {
                TestMedia.wav(workspace.resolve("raw_assets/burst/tone" + i + ".wav"), 0.05, i);
            }
        });
        dropper.start();
        await().atMost(WAIT).until(() -> Files.exists(database) && count(database, "SELECT count(*) FROM assets") >= 10);

        Path backup = elsewhere.resolve("busy.db");
        JarRunner.Result made = JarRunner.run(workspace, "backup", backup.toString());
        long indexedWhenDone = count(database, "SELECT count(*) FROM assets");

        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(SqliteFile.value(backup, "PRAGMA integrity_check")).isEqualTo("ok");
        long backedUp = count(backup, "SELECT count(*) FROM assets");
        assertThat(backedUp).isBetween(10L, indexedWhenDone);
        assertThat(count(backup, "SELECT count(*) FROM asset_paths")).isGreaterThanOrEqualTo(backedUp);
        await("the watcher kept indexing after the snapshot").atMost(WAIT)
                .until(() -> count(database, "SELECT count(*) FROM assets") > backedUp);

        JarRunner.Result refused = JarRunner.run(workspace, "restore", backup.toString());
        assertThat(refused.exitCode()).isEqualTo(ExitCode.LOCKED);
        assertThat(refused.err().strip()).contains("a watcher (pid " + watcher.pid() + ") is running").doesNotContain("\n");

        dropping.set(false);
        dropper.join();
        assertThat(watcher.terminate(WAIT)).isZero();
        JarRunner.Result restored = JarRunner.run(workspace, "restore", backup.toString());

        assertThat(restored.exitCode()).as(restored.err()).isZero();
        assertThat(SqliteFile.value(database, "PRAGMA integrity_check")).isEqualTo("ok");
        assertThat(count(database, "SELECT count(*) FROM assets")).isEqualTo(backedUp);
        assertThat(workspace.resolve(".asset_index/index.db-wal")).doesNotExist();
    }

    @Test
    void restoreRefusesWhileAnotherCommandHasTheIndexOpenSoItsWritesAreNotLost() throws Exception {
        TestMedia.jpeg(workspace.resolve("raw_assets/one.jpg"), 32, 32, 1);
        assertThat(JarRunner.run(workspace, "scan").exitCode()).isZero();
        Path backup = elsewhere.resolve("one.db");
        assertThat(JarRunner.run(workspace, "backup", backup.toString()).exitCode()).isZero();
        long before = Files.size(database);

        // This test process plays a scan that is still running: it has the index open.
        try (IndexDatabase busy = IndexDatabase.open(database, 1, java.time.Clock.systemUTC())) {
            JarRunner.Result refused = JarRunner.run(workspace, "restore", backup.toString());
            assertThat(refused.exitCode()).isEqualTo(ExitCode.LOCKED);
            assertThat(refused.err().strip()).contains("another asset-index command", "is using", "nothing was restored")
                    .doesNotContain("\n");
        }
        try (Stream<Path> files = Files.list(workspace.resolve(".asset_index"))) {
            assertThat(files.map(file -> file.getFileName().toString())).noneMatch(name -> name.contains("before-restore"));
        }
        assertThat(Files.size(database)).isEqualTo(before);
        assertThat(JarRunner.run(workspace, "restore", backup.toString()).exitCode()).isZero();
    }

    @Test
    void aMovedWorkspaceIsFollowedOnTheNextStartWithoutHashingAndSearchStillWorks() throws Exception {
        TestMedia.jpeg(workspace.resolve("raw_assets/holiday/beach_sunset.jpg"), 64, 48, 1);
        TestMedia.wav(workspace.resolve("raw_assets/music/piano_lullaby.wav"), 0.3, 2);
        TestMedia.fixture("clip.mp4", workspace.resolve("raw_assets/video/drone_coast.mp4"));
        assertThat(JarRunner.run(workspace, "scan").exitCode()).isZero();
        Path moved = elsewhere.resolve("moved-workspace");
        Files.move(workspace, moved);
        Path db = moved.resolve(".asset_index/index.db");
        long attempts = count(db, "SELECT count(*) FROM process_log");

        watcher = WatcherProcess.startWatching(moved);

        assertThat(count(db, "SELECT count(*) FROM process_log")).as("nothing hashed or analysed").isEqualTo(attempts);
        assertThat(SqliteFile.rows(db, "SELECT abs_path FROM asset_paths")).extracting(row -> (String) row.get("abs_path"))
                .hasSize(3).allMatch(path -> path.startsWith(moved.resolve("raw_assets").toString() + "/"));
        assertThat(SqliteFile.rows(db, "SELECT file_path FROM assets")).extracting(row -> (String) row.get("file_path"))
                .hasSize(3).allMatch(path -> path.startsWith(moved.toString() + "/"));
        assertThat(watcher.terminate(WAIT)).isZero();
        JarRunner.Result search = JarRunner.run(moved, "search", "drone over the coast", "--limit", "1");
        assertThat(search.out()).contains("raw_assets/video/drone_coast.mp4");
        JarRunner.Result show = JarRunner.run(moved, "show", "raw_assets/holiday/beach_sunset.jpg");
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("thumbs/");
        assertThat(moved.resolve(".asset_index").resolve(show.out().replaceAll("(?s).*?(thumbs/\\S+\\.jpg).*", "$1")))
                .isRegularFile();
        Files.move(moved, workspace);
    }

    @Test
    void noCommandEverWritesMovesOrDeletesAMediaFile() throws Exception {
        TestMedia.jpeg(workspace.resolve("raw_assets/a/one.jpg"), 64, 48, 1);
        TestMedia.jpeg(workspace.resolve("raw_assets/a/two.jpg"), 48, 64, 2);
        TestMedia.wav(workspace.resolve("raw_assets/b/three.wav"), 0.2, 3);
        TestMedia.fixture("clip.mp4", workspace.resolve("raw_assets/b/four.mp4"));
        TestMedia.randomBytes(workspace.resolve("raw_assets/b/broken.jpg"), 500, 5);
        Map<String, String> before = MediaTree.snapshot(workspace.resolve("raw_assets"));
        Path export = elsewhere.resolve("export.jsonl");
        Path backup = elsewhere.resolve("backup.db");

        assertThat(JarRunner.run(workspace, "scan").exitCode()).isZero();
        watcher = WatcherProcess.startWatching(workspace);
        for (String[] command : new String[][] {{"verify", "--rehash"}, {"export", "--out", export.toString()},
                {"backup", backup.toString()}, {"doctor"}, {"status"}}) {
            JarRunner.Result result = JarRunner.run(workspace, command);
            assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.err()).isZero();
        }
        assertThat(watcher.terminate(WAIT)).isZero();
        for (String[] command : new String[][] {{"prune"}, {"import", export.toString()}, {"restore", backup.toString()},
                {"verify"}}) {
            JarRunner.Result result = JarRunner.run(workspace, command);
            assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.err()).isZero();
        }

        assertThat(MediaTree.snapshot(workspace.resolve("raw_assets"))).isEqualTo(before);
    }
}
