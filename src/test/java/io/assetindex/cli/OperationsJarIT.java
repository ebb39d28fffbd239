package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assetindex.testing.JarRunner;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
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
            for (int i = 0; dropping.get() && i < 400; i++) {
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
}
