package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: several asset-index processes on one workspace (each log file has one writer), and
 * what a killed one leaves behind (its temp files are cleaned up by the next watcher).
 */
class SharedWorkspaceJarIT {
    @TempDir
    Path workspace;

    private WatcherProcess watcher;

    @BeforeEach
    void mediaWithOneBrokenFile() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\nworkers: 2\n");
        TestMedia.jpeg(raw("good.jpg"), 32, 24, 1);
        TestMedia.randomBytes(raw("broken.jpg"), 3000, 2);
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

    private Path logs(String name) {
        return workspace.resolve(".asset_index/logs").resolve(name);
    }

    private List<String> lines(String log) throws IOException {
        return Files.exists(logs(log)) ? Files.readAllLines(logs(log)) : List.of();
    }

    @Test
    void aScanWhileTheWatcherRunsWritesItsOwnLogFilesAndNeverTheWatchers() throws IOException {
        watcher = WatcherProcess.startWatching(workspace);

        JarRunner.Result scan = JarRunner.run(workspace, "scan");

        assertThat(scan.exitCode()).as(scan.err()).isZero();
        assertThat(scan.err()).isEmpty();
        assertThat(lines("watcher.out.log")).anyMatch(line -> line.endsWith("INFO  [watcher] starting…"))
                .noneMatch(line -> line.contains("[scan]"));
        assertThat(lines("watcher.err.log")).filteredOn(line -> line.contains("failed raw_assets/broken.jpg"))
                .as("the watcher's own attempt only").hasSize(1);
        assertThat(lines("scan.out.log")).anyMatch(line -> line.contains("INFO  [scan] starting: [raw_assets]"))
                .anyMatch(line -> line.contains("INFO  [scan] 2 files: 0 indexed"))
                .noneMatch(line -> line.contains("[watcher] starting"));
        assertThat(lines("scan.err.log")).anyMatch(line -> line.contains("WARN  [watcher] failed raw_assets/broken.jpg"));
        assertThat(watcher.isAlive()).isTrue();
    }

    @Test
    void aScanWhoseLogFilesAnotherProcessWritesLogsToStderrAndLeavesThemAlone() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (InstanceLock held = InstanceLock.acquire(logs("scan.log.lock"), new ProcessIdentity(pid, Instant.now()))) {
            JarRunner.Result scan = JarRunner.run(workspace, "scan");

            assertThat(scan.exitCode()).as(scan.err()).isZero();
            assertThat(scan.out()).startsWith("scan: 2 files: 1 indexed");
            assertThat(scan.err()).startsWith("asset-index: warning: another asset-index scan (pid " + pid
                    + ") is writing ").contains("scan.out.log; this one logs its warnings and errors to stderr only\n")
                    .contains("[watcher] failed raw_assets/broken.jpg: ");
        }
        assertThat(logs("scan.out.log")).doesNotExist();
        assertThat(logs("scan.err.log")).doesNotExist();
        assertThat(logs("watcher.out.log")).doesNotExist();
    }

    @Test
    void aStartingWatcherRemovesTheTempFilesOfWritesAKilledProcessLeft() throws IOException {
        Path dataDir = workspace.resolve(".asset_index");
        Path thumb = dataDir.resolve("thumbs/ab/ab00000000000000000000000000000000000000000000000000000000000000.jpg");
        Path staleThumb = SafeFiles.tempSibling(thumb, "thumb");
        Path staleState = SafeFiles.tempSibling(dataDir.resolve("state.json"), "state");
        Path fresh = SafeFiles.tempSibling(dataDir.resolve("state.json"), "state");
        Path notOurs = dataDir.resolve("notes.tmp");
        for (Path file : List.of(staleThumb, staleState, fresh, notOurs)) {
            TestMedia.write(file, "half written".getBytes());
        }
        for (Path file : List.of(staleThumb, staleState, notOurs)) {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(3))));
        }

        watcher = WatcherProcess.startWatching(workspace);

        assertThat(staleThumb).doesNotExist();
        assertThat(staleState).doesNotExist();
        assertThat(fresh).as("a scan running now may be writing it").exists();
        assertThat(notOurs).exists();
        assertThat(lines("watcher.out.log"))
                .anyMatch(line -> line.endsWith("INFO  [watcher] removed 2 temp files left by interrupted writes (24 bytes)"));
    }
}
