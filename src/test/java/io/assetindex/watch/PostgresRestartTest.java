package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assetindex.app.Assembly;
import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.config.WatchRoot;
import io.assetindex.search.LiveVectorIndex;
import io.assetindex.server.ApiServer;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherState;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.IndexStore;
import io.assetindex.store.IndexTarget;
import io.assetindex.testing.LogCapture;
import io.assetindex.testing.RestartablePostgres;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.VectorAssets;
import io.assetindex.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watcher (and a service's vectors) on a PostgreSQL server that is stopped mid-burst and started
 * again: the watcher holds what arrives meanwhile, says once that the database went and once that
 * it is back, and then indexes every file exactly once, none recorded as failed.
 */
class PostgresRestartTest {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String DATABASE = "restarted";

    @TempDir
    Path workspace;
    @TempDir
    Path dataDir;

    private RestartablePostgres server;
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
        if (server != null) {
            server.close();
        }
    }

    private void startWatcher(String url) throws IOException {
        Files.createDirectories(workspace.resolve("raw_assets"));
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.2\n");
        Map<String, String> environment = Map.of("ASSET_INDEX_DATABASE__URL", url);
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, environment, Map.of()));
        Clock clock = Clock.systemUTC();
        store = new IndexStore(IndexDatabase.open(IndexTarget.of(config, environment::get), 6, clock), clock);
        Files.createDirectories(config.workspace().dataDir());
        stateFile = new StateFile(config.workspace().stateFile());
        WatcherState state = new WatcherState(ProcessIdentity.current(), "test", "test",
                config.watchRoots().stream().map(WatchRoot::name).toList(), config.debounceSeconds(), clock);
        daemon = new WatchDaemon(config, config.watchRoots(), store, state, stateFile, clock, System::getenv);
        runner = new Thread(daemon::run, "daemon-under-test");
        runner.start();
        await().atMost(WAIT).until(() -> "watching".equals(stateField("state")));
    }

    private String stateField(String field) {
        return stateFile.read().map(snapshot -> io.assetindex.util.Json.MAPPER.valueToTree(snapshot)
                .path(field).asText()).orElse("");
    }

    private void drop(int from, int to) {
        for (int n = from; n < to; n++) {
            TestMedia.jpeg(workspace.resolve("raw_assets/burst/photo" + n + ".jpg"), 64, 48, n);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aServerRestartedMidBurstLosesNothingAndIsSaidOnceEachWay() throws Exception {
        server = RestartablePostgres.start(dataDir.resolve("pg"));
        startWatcher(server.newDatabase(DATABASE));
        try (LogCapture log = new LogCapture("watcher")) {
            drop(0, 15);
            await().atMost(WAIT).until(() -> count("SELECT count(*) FROM asset_paths") >= 3);

            server.stop(); // mid-burst: some files indexed, some in flight, some waiting
            drop(15, 30);
            await("the watcher notices").atMost(WAIT)
                    .until(() -> log.count("[watcher] lost the index database") == 1);
            drop(30, 40); // while it is down and known to be
            await("state.json says so").atMost(WAIT)
                    .until(() -> stateField("last_error").startsWith("lost the index database ("));
            Thread.sleep(3_000); // a few probes fail meanwhile: backoff, no new lines
            server.start();

            await("every file indexed").atMost(WAIT).until(() -> count("SELECT count(*) FROM asset_paths"
                    + " WHERE deleted_at IS NULL") == 40);
            await().atMost(WAIT).until(() -> log.count("[watcher] the index database is back after") == 1);
            assertThat(log.count("[watcher] lost the index database")).isEqualTo(1);
            assertThat(log.messages()).filteredOn(line -> line.contains("back after")).singleElement()
                    .asString().matches("\\[watcher\\] the index database is back after \\d+ s; indexing the \\d+"
                            + " files that arrived meanwhile.*");
        }
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM process_log WHERE status = 'failed'")).isZero();
        assertThat(count("SELECT count(*) FROM failed_files")).isZero();
        assertThat(count("SELECT count(*) FROM (SELECT file_path FROM process_log WHERE status = 'ok'"
                + " GROUP BY file_path HAVING count(*) > 1) twice")).as("indexed once each").isZero();
    }

    @Test
    void aServiceKeepsItsVectorsThroughARestartAndFollowsWhatCameAfter() throws Exception {
        server = RestartablePostgres.start(dataDir.resolve("pg"));
        String url = server.newDatabase(DATABASE);
        Map<String, String> environment = Map.of("ASSET_INDEX_DATABASE__URL", url);
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, environment, Map.of()));
        store = new IndexStore(IndexDatabase.open(IndexTarget.of(config, environment::get), 3, Clock.systemUTC()),
                Clock.systemUTC());
        try (Connection c = server.connect(DATABASE); Statement s = c.createStatement()) {
            s.execute("INSERT INTO embedding_models (config_hash, model, dimension, identity_json, state, created_at)"
                    + " VALUES ('sha256:m1', 'test-model', 8, '{}', 'active', '2026-01-01T00:00:00.000Z')");
            for (int n = 0; n < 5; n++) {
                VectorAssets.insert(c, n, new float[] {n, 1, 0, 0, 0, 0, 0, 1});
            }
        }
        try (LogCapture log = new LogCapture("io.assetindex.search.LiveVectorIndex");
                LiveVectorIndex live = LiveVectorIndex.open(new IndexReader(store.database()))) {
            assertThat(live.current().searchable()).isEqualTo(5);

            server.stop();
            await().atMost(WAIT).until(() -> log.count("cannot reach the index database") == 1);
            assertThat(live.current().searchable()).as("searches answer from memory").isEqualTo(5);
            server.start();
            try (Connection c = server.connect(DATABASE)) {
                VectorAssets.insert(c, 5, new float[] {5, 1, 0, 0, 0, 0, 0, 1});
            }

            await().atMost(WAIT).until(() -> live.current().searchable() == 6);
            assertThat(log.count("cannot reach the index database")).isEqualTo(1);
            assertThat(log.count("following the index's changes again")).isEqualTo(1);
        }
    }

    @Test
    void anAnalysisClaimAfterARestartTakesANewSessionInsteadOfReportingTheServerGone() throws Exception {
        server = RestartablePostgres.start(dataDir.resolve("pg"));
        Map<String, String> environment = Map.of("ASSET_INDEX_DATABASE__URL", server.newDatabase(DATABASE));
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, environment, Map.of()));
        store = new IndexStore(IndexDatabase.open(IndexTarget.of(config, environment::get), 3, Clock.systemUTC()),
                Clock.systemUTC());
        String content = "ab".repeat(32);
        try (IndexStore.AnalysisClaim claim = store.claimAnalysis(content)) {
            assertThat(claim.waited()).isFalse();
        }

        server.stop(); // the claims' session, idle, is dropped with the others
        server.start();

        try (IndexStore.AnalysisClaim claim = store.claimAnalysis(content)) {
            assertThat(claim.waited()).as("taken on a new session at once").isFalse();
        }
    }

    @Test
    void theApiAnswers503WithOneJsonErrorWhileTheDatabaseIsDownAndServesAgainAfter() throws Exception {
        server = RestartablePostgres.start(dataDir.resolve("pg"));
        Map<String, String> environment = Map.of("ASSET_INDEX_DATABASE__URL", server.newDatabase(DATABASE));
        Files.writeString(workspace.resolve("asset-index.yaml"), "server:\n  port: 0\n");
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, environment, Map.of()));
        HttpClient http = HttpClient.newHttpClient();
        try (Assembly assembly = Assembly.open(config, environment::get, Clock.systemUTC(), Assembly.Use.SERVICE);
                ApiServer api = ApiServer.start(config, null, assembly.queries(), () -> Json.read("{}"), () -> 0L)) {
            HttpRequest listing = HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/assets")).build();
            assertThat(http.send(listing, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);

            server.stop();
            HttpResponse<String> down = http.send(listing, HttpResponse.BodyHandlers.ofString());

            assertThat(down.statusCode()).isEqualTo(503);
            assertThat(down.headers().firstValue("Retry-After")).contains("5");
            assertThat(Json.read(down.body()).path("error").asText()).startsWith("the index database cannot be"
                    + " reached now");
            server.start();
            await().atMost(WAIT).until(() -> http.send(listing, HttpResponse.BodyHandlers.ofString()).statusCode() == 200);
        }
    }
}
