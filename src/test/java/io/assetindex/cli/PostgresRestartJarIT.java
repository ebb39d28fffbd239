package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assetindex.testing.RestartablePostgres;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the packaged jar watching into a PostgreSQL server that is stopped mid-burst and
 * started again. Its logs say once that the database went and once that it came back (and nothing
 * of the pool's dropped connections), and every file is indexed once.
 */
class PostgresRestartJarIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path workspace;
    @TempDir
    Path dataDir;

    private static void drop(Path workspace, int from, int to) {
        for (int n = from; n < to; n++) {
            TestMedia.jpeg(workspace.resolve("raw_assets/burst/photo" + n + ".jpg"), 64, 48, n);
        }
    }

    private List<String> log(String name) throws IOException {
        Path file = workspace.resolve(".asset_index/logs/" + name);
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private static long livePaths(RestartablePostgres server) throws SQLException {
        try (Connection c = server.connect("restarted"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void theWatcherWaitsOutARestartedServerSaysSoOnceEachWayAndIndexesEverything() throws Exception {
        try (RestartablePostgres server = RestartablePostgres.start(dataDir.resolve("pg"))) {
            Map<String, String> env = Map.of("ASSET_INDEX_DATABASE__URL", server.newDatabase("restarted"),
                    WatcherProcess.ANY_PORT, "0");
            Files.createDirectories(workspace.resolve("raw_assets"));
            try (WatcherProcess watcher = WatcherProcess.launch(workspace, env, "watch")) {
                watcher.awaitPhase("watching");
                drop(workspace, 0, 15);
                await().atMost(WAIT).until(() -> livePaths(server) >= 3);

                server.stop();
                drop(workspace, 15, 30);
                await("the watcher says so").atMost(WAIT).until(() -> log("watcher.err.log").stream()
                        .anyMatch(line -> line.contains("[watcher] lost the index database")));
                HttpResponse<String> down = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        watcher.apiUrl().resolve("/api/v1/assets")).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
                drop(workspace, 30, 40);
                server.start();

                await("every file indexed").atMost(WAIT).until(() -> livePaths(server) == 40);
                await().atMost(WAIT).until(() -> log("watcher.out.log").stream()
                        .anyMatch(line -> line.contains("[watcher] the index database is back after")));
                assertThat(watcher.terminate(Duration.ofSeconds(30))).isZero();
            }
            assertThat(log("watcher.err.log")).as("one line while it was down, and nothing else")
                    .singleElement().asString().contains("[watcher] lost the index database (");
            assertThat(log("watcher.out.log")).filteredOn(line -> line.contains("back after")).hasSize(1);
            assertThat(log("watcher.out.log")).filteredOn(line -> line.contains("failed raw_assets")).isEmpty();
        }
    }
}
