package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.config.WatchRoot;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherState;
import io.assetindex.store.CountedLeftOut;
import io.assetindex.store.IndexReader;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexStore;
import io.assetindex.store.IndexTarget;
import io.assetindex.store.RecordedRun;
import io.assetindex.store.RunCounts;
import io.assetindex.store.RunKind;
import io.assetindex.store.RunOutcome;
import io.assetindex.testing.DngFile;
import io.assetindex.testing.LogCapture;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestPostgres;
import io.assetindex.testing.TestClock;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon in-process, with the seam where roots are watched replaced, to produce what a
 * test machine cannot: an exhausted inotify limit, and event queue overflows.
 */
class WatchDaemonTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path workspace;

    private IndexStore store;
    private WatchDaemon daemon;
    private Thread runner;
    private StateFile stateFile;

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.stop();
            runner.join(20_000);
        }
        if (store != null) {
            store.close();
        }
    }

    private void start(String yaml, RootWatcher.Starter starter) throws IOException {
        start(yaml, starter, Clock.systemUTC());
    }

    private void start(String yaml, RootWatcher.Starter starter, Clock clock) throws IOException {
        Files.createDirectories(workspace.resolve("raw_assets"));
        Files.writeString(workspace.resolve("asset-index.yaml"), yaml);
        // The workspace's SQLite file, or a PostgreSQL database with -Dasset-index.test.backend=postgresql.
        Map<String, String> environment = TestPostgres.backendEnvironment(workspace);
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, environment, Map.of()));
        store = new IndexStore(IndexDatabase.open(IndexTarget.of(config, environment::get), 6, clock), clock);
        // The watch command's lock makes the folder before anything is written there; an SQLite index too.
        Files.createDirectories(config.workspace().dataDir());
        stateFile = new StateFile(config.workspace().stateFile());
        WatcherState state = new WatcherState(ProcessIdentity.current(), "test", "test",
                config.watchRoots().stream().map(WatchRoot::name).toList(), config.debounceSeconds(), clock);
        daemon = new WatchDaemon(config, config.watchRoots(), store, state, stateFile, clock, System::getenv, starter);
        runner = new Thread(daemon::run, "daemon-under-test");
        runner.start();
        await().atMost(WAIT).until(() -> "watching".equals(stateField("state")));
    }

    private String stateField(String pointer) {
        return stateFile.read().map(snapshot -> io.assetindex.util.Json.MAPPER.valueToTree(snapshot)
                .at(pointer.startsWith("/") ? pointer : "/" + pointer).asText()).orElse("");
    }

    private long livePaths() {
        return SqliteFile.count(workspace.resolve(".asset_index/index.db"),
                "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL");
    }

    @Test
    void scanOnStartCountsTheFilesLeftOutForTheirExtensionForStatusAndSaysSoInTheLog() throws IOException {
        TestMedia.fixture("tone.ogg", workspace.resolve("raw_assets/sounds/bell.oga"));
        TestMedia.write(workspace.resolve("raw_assets/notes.txt"), "shot list".getBytes());
        try (LogCapture log = new LogCapture("watcher")) {
            start("debounce_seconds: 0.2\nextensions: {audio: [wav]}\n", (root, filter, neverEnter, sink) -> () -> { });

            assertThat(log.messages()).anyMatch(message -> message.startsWith("[watcher] left out (extension not"
                    + " indexed): 1 .oga (e.g. raw_assets/sounds/bell.oga), 1 .txt (e.g. raw_assets/notes.txt);"
                    + " to index .oga, set extensions: {audio: [wav, oga]} in asset-index.yaml"));
        }
        List<CountedLeftOut> counted = new IndexReader(store.database()).leftOut();
        assertThat(counted).singleElement().satisfies(count -> {
            assertThat(count.sourceRoot()).isEqualTo("raw_assets");
            assertThat(count.leftOut().byExtension()).containsOnlyKeys("oga", "txt");
            assertThat(count.leftOut().files()).isEqualTo(2);
        });
    }

    @Test
    void theScheduledPassFindsABitFlipBehindARestoredMtimeAndSaysSoLoudly() throws IOException {
        Path photo = TestMedia.jpeg(workspace.resolve("raw_assets/harbour.jpg"), 320, 240, 1);
        TestClock clock = new TestClock(Instant.parse("2026-03-01T10:00:00Z"));
        try (LogCapture log = new LogCapture("watcher")) {
            start("debounce_seconds: 0.2\nverify: {every_days: 7}\n", RootWatcher.Starter.NATIVE, clock);
            assertThat(livePaths()).isEqualTo(1);
            String recorded = (String) SqliteFile.value(workspace.resolve(".asset_index/index.db"),
                    "SELECT asset_id FROM asset_paths");
            FileTime mtime = Files.getLastModifiedTime(photo);
            try (RandomAccessFile bytes = new RandomAccessFile(photo.toFile(), "rw")) {
                bytes.seek(2000);
                int b = bytes.read();
                bytes.seek(2000);
                bytes.write(b ^ 1);
            }
            Files.setLastModifiedTime(photo, mtime);

            clock.advance(Duration.ofDays(8));

            await("the pass reports it").atMost(WAIT).until(() -> stateField("last_error").startsWith("bit rot in"
                    + " raw_assets/harbour.jpg: its bytes changed while its size and mtime did not"));
            assertThat(log.count("[verify] bit rot in raw_assets/harbour.jpg")).isEqualTo(1);
            await().atMost(WAIT).until(() -> stateField("/verification/state").equals("idle"));
            assertThat(stateField("/verification/bit_rot_found")).isEqualTo("1");
            assertThat(SqliteFile.value(workspace.resolve(".asset_index/index.db"), "SELECT asset_id FROM asset_paths"))
                    .as("the recorded content is kept").isEqualTo(recorded);
            assertThat(new IndexReader(store.database()).counts().bitRotFiles()).isEqualTo(1);
            assertThat(new IndexReader(store.database()).runs(RunKind.VERIFICATION, 10, 0).runs())
                    .singleElement().satisfies(run -> {
                        assertThat(run.counts().seen()).isEqualTo(1);
                        assertThat(run.counts().bitRot()).isEqualTo(1);
                        assertThat(run.outcome()).isEqualTo(RunOutcome.OK);
                    });
        }
    }

    @Test
    void rootThatCannotBeWatchedIsPolledAndTheLogSaysWhichSysctlToRaise() throws IOException {
        try (LogCapture log = new LogCapture("watcher")) {
            start("debounce_seconds: 0.2\npoll_interval_seconds: 1\n", (root, filter, neverEnter, sink) -> {
                throw new IOException("User limit of inotify watches reached");
            });

            assertThat(stateField("/roots/raw_assets")).isEqualTo("polling (cannot watch)");
            assertThat(stateField("last_error")).contains("out of inotify watches while watching raw_assets")
                    .contains("sudo sysctl fs.inotify.max_user_watches=524288");
            assertThat(log.count("out of inotify watches")).isEqualTo(1);

            TestMedia.jpeg(workspace.resolve("raw_assets/a.jpg"), 16, 16, 1);
            await("the polled root is rescanned").atMost(WAIT).until(() -> livePaths() == 1);
            TestMedia.jpeg(workspace.resolve("raw_assets/b.jpg"), 16, 16, 2);
            await().atMost(WAIT).until(() -> livePaths() == 2);
            assertThat(log.count("out of inotify watches")).as("logged once, not on every poll").isEqualTo(1);
        }
    }

    @Test
    void runningOutOfWatchesLaterAlsoFallsBackToPolling() throws IOException {
        AtomicReference<RootWatcher.Sink> events = new AtomicReference<>();
        start("debounce_seconds: 0.2\npoll_interval_seconds: 1\n", (root, filter, neverEnter, sink) -> {
            events.set(sink);
            return () -> { };
        });
        WatchRoot root = new WatchRoot("raw_assets", workspace.resolve("raw_assets"), false);

        events.get().failed(root, new IOException("User limit of inotify watches reached"));
        TestMedia.jpeg(workspace.resolve("raw_assets/new-folder/a.jpg"), 16, 16, 1);

        await().atMost(WAIT).until(() -> livePaths() == 1);
        await().atMost(WAIT).until(() -> "polling (cannot watch)".equals(stateField("/roots/raw_assets")));
    }

    @Test
    void eventQueueOverflowRescansTheRootAndIsLoggedOnce() throws IOException {
        AtomicReference<RootWatcher.Sink> events = new AtomicReference<>();
        try (LogCapture log = new LogCapture("watcher")) {
            start("debounce_seconds: 0.2\n", (root, filter, neverEnter, sink) -> {
                events.set(sink); // no real events: only what the test sends
                return () -> { };
            });
            WatchRoot root = new WatchRoot("raw_assets", workspace.resolve("raw_assets"), false);
            TestMedia.jpeg(workspace.resolve("raw_assets/missed.jpg"), 16, 16, 1);

            events.get().overflow(root);
            await("the overflow rescans the root").atMost(WAIT).until(() -> livePaths() == 1);

            TestMedia.jpeg(workspace.resolve("raw_assets/missed-too.jpg"), 16, 16, 2);
            for (int i = 0; i < 50; i++) {
                events.get().overflow(root);
            }
            await().atMost(WAIT).until(() -> livePaths() == 2);
            assertThat(log.count("event queue overflow")).isEqualTo(1);
        }
    }

    @Test
    void scanOnStartAndAnOverflowRescanAreRunsOfTheHistoryWithTheCorruptFileAndTheOneWithWarnings()
            throws IOException {
        byte[] jpeg = TestMedia.jpegBytes(320, 240, 1);
        TestMedia.write(workspace.resolve("raw_assets/cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        TestMedia.jpeg(workspace.resolve("raw_assets/fine.jpg"), 64, 48, 2);
        AtomicReference<RootWatcher.Sink> events = new AtomicReference<>();
        start("debounce_seconds: 0.2\n", (root, filter, neverEnter, sink) -> {
            events.set(sink);
            return () -> { };
        });
        IndexReader reader = new IndexReader(store.database());
        assertThat(reader.runs(null, 10, 0).runs()).singleElement().satisfies(run -> {
            assertThat(run.kind()).isEqualTo(RunKind.SCAN_ON_START);
            assertThat(run.outcome()).isEqualTo(RunOutcome.OK);
            assertThat(run.paths()).containsExactly("raw_assets");
            assertThat(run.counts()).isEqualTo(new RunCounts(2, 1, 0, 0, 1, 0, 1, 0,
                    Files.size(workspace.resolve("raw_assets/fine.jpg")), 0));
        });

        new DngFile(400, 300).write(workspace.resolve("raw_assets/later/no_preview.nef"));
        Files.delete(workspace.resolve("raw_assets/fine.jpg"));
        events.get().overflow(new WatchRoot("raw_assets", workspace.resolve("raw_assets"), false));

        await("the overflow rescan ends").atMost(WAIT).until(() -> reader.runs(RunKind.RESCAN, 1, 0).runs().stream()
                .anyMatch(run -> run.outcome() != null));
        RecordedRun rescan = reader.runs(RunKind.RESCAN, 1, 0).runs().get(0);
        assertThat(rescan.paths()).containsExactly("raw_assets");
        assertThat(rescan.outcome()).isEqualTo(RunOutcome.OK);
        assertThat(rescan.counts()).as("the cut JPEG is left alone: it failed before and did not change")
                .isEqualTo(new RunCounts(2, 1, 0, 1, 0, 1, 0, 1,
                        Files.size(workspace.resolve("raw_assets/later/no_preview.nef")), 0));
    }

    @Test
    void pollPathIsRescannedEveryIntervalWithoutEvents() throws IOException {
        start("debounce_seconds: 0.2\npoll_paths: [raw_assets]\npoll_interval_seconds: 1\n", (root, filter, n, s) -> {
            throw new AssertionError("a polled root is never watched");
        });
        assertThat(stateField("/roots/raw_assets")).isEqualTo("polling");

        TestMedia.jpeg(workspace.resolve("raw_assets/a.jpg"), 16, 16, 1);

        await().atMost(WAIT).until(() -> livePaths() == 1);
    }

    @Test
    void aPolledRootIsRescannedEvenWhenItsPollsComeFasterThanTheQuietPeriodAndABrokenFileIsReadOnce()
            throws IOException {
        // Before: every poll restarted the rescan's quiet period, so it ran only after debounce_max_seconds.
        start("debounce_seconds: 3\npoll_interval_seconds: 1\npoll_paths: [raw_assets]\n", (root, filter, neverEnter, sink) -> {
            throw new AssertionError("a polled root is not watched");
        });
        TestMedia.randomBytes(workspace.resolve("raw_assets/broken.jpg"), 500, 1);
        TestMedia.jpeg(workspace.resolve("raw_assets/a.jpg"), 16, 16, 1);

        await("the polled root is rescanned").atMost(Duration.ofSeconds(15)).until(() -> livePaths() == 1);
        Path database = workspace.resolve(".asset_index/index.db");
        await("two more polls").atMost(Duration.ofSeconds(20)).pollDelay(Duration.ofSeconds(9)).until(() -> true);
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM process_log WHERE status = 'failed'"))
                .as("the broken file is read once, not on every poll").isEqualTo(1);
    }
}
