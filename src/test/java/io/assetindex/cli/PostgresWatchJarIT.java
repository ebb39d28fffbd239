package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.TestPostgres;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end on PostgreSQL: the packaged jar (its own copy of the driver) scans into a database of
 * the tests' server, then watches; what is dropped meanwhile is found by the API's keyword and
 * meaning searches (the service follows the writes through the change feed), and status names
 * the database.
 */
class PostgresWatchJarIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workspace;

    @Test
    void theJarScansWatchesAndSearchesAnIndexInPostgresql() throws Exception {
        String url = TestPostgres.newDatabase();
        Map<String, String> env = Map.of("ASSET_INDEX_DATABASE__URL", url, WatcherProcess.ANY_PORT, "0");
        TestMedia.jpeg(workspace.resolve("raw_assets/harbour_at_dawn.jpg"), 64, 48, 1);
        JarRunner.Result scan = JarRunner.run(workspace, env, "scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        assertThat(scan.out()).startsWith("scan: 1 files: 1 indexed");

        try (WatcherProcess watcher = WatcherProcess.launch(workspace, env, "watch")) {
            watcher.awaitPhase("watching");
            TestMedia.jpeg(workspace.resolve("raw_assets/lighthouse_in_fog.jpg"), 64, 48, 2);
            URI api = watcher.apiUrl();
            await("the dropped file found by its name").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> firstPath(get(api, "/api/v1/search?q=lighthouse&mode=keyword")),
                            "raw_assets/lighthouse_in_fog.jpg"::equals);
            // The keyword side reads the index; the vectors' side follows its change feed a moment later.
            await("both vectors searched").atMost(WAIT).pollInterval(Duration.ofMillis(200))
                    .until(() -> get(api, "/api/v1/search?q=lighthouse%20in%20fog&mode=semantic&limit=5")
                            .path("searched").asInt(), searched -> searched == 2);
            JsonNode meaning = get(api, "/api/v1/search?q=lighthouse%20in%20fog&mode=semantic&limit=5");
            assertThat(firstPath(meaning)).isEqualTo("raw_assets/lighthouse_in_fog.jpg");
            JsonNode status = get(api, "/api/v1/status");
            assertThat(status.at("/index/path").asText()).isEqualTo(url);
            assertThat(status.at("/counts/assets").asInt()).isEqualTo(2);
        }
        assertThat(workspace.resolve(".asset_index/index.db")).doesNotExist();
    }

    private static String firstPath(JsonNode document) {
        return document.path("results").path(0).path("paths").path(0).asText();
    }

    private static JsonNode get(URI api, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.read(response.body());
    }
}
