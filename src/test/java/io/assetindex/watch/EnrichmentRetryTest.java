package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.config.WatchRoot;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherState;
import io.assetindex.store.IndexStore;
import io.assetindex.testing.FakeAiApi;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestClock;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watcher in-process with a test clock and a local AI server: a model that is down is asked
 * again after 1 minute, then 2, never in between; once it is back the missing descriptions are
 * filled, and a new file is described right after it is indexed.
 */
class EnrichmentRetryTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** Several housekeeping ticks: long enough for a pass that is due to have started. */
    private static final long TICKS_MS = 2_500;

    @TempDir
    Path workspace;

    private final FakeAiApi api = new FakeAiApi();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-21T10:00:00Z"));
    private IndexStore store;
    private WatchDaemon daemon;
    private Thread runner;

    @AfterEach
    void stop() throws InterruptedException {
        if (daemon != null) {
            daemon.stop();
            runner.join(20_000);
        }
        if (store != null) {
            store.close();
        }
        api.close();
    }

    private long described() {
        return SqliteFile.count(workspace.resolve(".asset_index/index.db"),
                "SELECT count(*) FROM assets WHERE summary IS NOT NULL");
    }

    /**
     * Waits for what a background pass does and then for that pass to end: a pass sets the time of
     * the next one (a retry, a sweep) from the clock as it ends, so the test clock may only move after.
     */
    private void awaitThenPassOver(Callable<Boolean> done) {
        await().atMost(WAIT).until(done);
        await().atMost(WAIT).until(() -> !daemon.backgroundPassRunning());
    }

    @Test
    void aModelThatIsDownIsAskedAgainWithBackoffAndNeverInBetween() throws Exception {
        TestMedia.jpeg(workspace.resolve("raw_assets/harbour_at_dawn.jpg"), 64, 48, 1);
        Files.writeString(workspace.resolve("asset-index.yaml"), """
                debounce_seconds: 0.2
                ai:
                  base_url: %s
                  max_retries: 0
                  describe:
                    model: vision-test
                """.formatted(api.baseUrl()));
        api.alwaysRespond(FakeAiApi.status(503));
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
        store = IndexStore.open(config.workspace().databaseFile(), 6, clock);
        StateFile stateFile = new StateFile(config.workspace().stateFile());
        WatcherState state = new WatcherState(ProcessIdentity.current(), "test", "test",
                config.watchRoots().stream().map(WatchRoot::name).toList(), config.debounceSeconds(), clock);
        daemon = new WatchDaemon(config, config.watchRoots(), store, state, stateFile, clock, System::getenv,
                RootWatcher.Starter.NATIVE);
        runner = new Thread(daemon::run, "daemon-under-test");
        runner.start();

        awaitThenPassOver(() -> api.chats().size() == 1);
        Thread.sleep(TICKS_MS);
        assertThat(api.chats()).as("no retry before the backoff").hasSize(1);

        clock.advance(Duration.ofSeconds(61));
        awaitThenPassOver(() -> api.chats().size() == 2);
        clock.advance(Duration.ofSeconds(61));
        Thread.sleep(TICKS_MS);
        assertThat(api.chats()).as("the second wait is 2 minutes").hasSize(2);
        clock.advance(Duration.ofSeconds(60));
        awaitThenPassOver(() -> api.chats().size() == 3);

        api.alwaysRespond(null);
        clock.advance(Duration.ofMinutes(4));
        awaitThenPassOver(() -> described() == 1);
        assertThat(api.chats()).hasSize(4);
        clock.advance(Duration.ofHours(2));
        Thread.sleep(TICKS_MS);
        assertThat(api.chats()).as("nothing left to retry").hasSize(4);

        TestMedia.jpeg(workspace.resolve("raw_assets/lighthouse_storm.jpg"), 64, 48, 2);
        awaitThenPassOver(() -> described() == 2);
        assertThat(api.chats()).hasSize(5);

        // Another process records a path for an asset that has no description (as an import from
        // an index without AI would): the change feed names the asset, the look every 10 minutes
        // finds it.
        Path index = workspace.resolve(".asset_index/index.db");
        String harbour = "(SELECT id FROM assets WHERE file_name = 'harbour_at_dawn.jpg')";
        SqliteFile.execute(index, "DELETE FROM analysis_cache WHERE analyzer = 'describe' AND asset_id = " + harbour);
        SqliteFile.execute(index, "UPDATE asset_paths SET deleted_at = '2026-11-21T10:00:00Z' WHERE asset_id = " + harbour);
        SqliteFile.execute(index, "UPDATE asset_paths SET deleted_at = NULL WHERE asset_id = " + harbour);
        Thread.sleep(TICKS_MS);
        assertThat(api.chats()).hasSize(5);
        clock.advance(BackgroundPasses.SWEEP);
        awaitThenPassOver(() -> api.chats().size() == 6);

        // A result gone without a trace in the feed is found by the look at every asset, once a day.
        SqliteFile.execute(index, "DELETE FROM analysis_cache WHERE analyzer = 'describe'"
                + " AND asset_id = (SELECT id FROM assets WHERE file_name = 'lighthouse_storm.jpg')");
        clock.advance(BackgroundPasses.SWEEP);
        Thread.sleep(TICKS_MS);
        await().atMost(WAIT).until(() -> !daemon.backgroundPassRunning());
        assertThat(api.chats()).as("the 10-minute look reads only what the feed names").hasSize(6);
        clock.advance(BackgroundPasses.FULL_SWEEP);
        await().atMost(WAIT).until(() -> api.chats().size() == 7);
    }
}
