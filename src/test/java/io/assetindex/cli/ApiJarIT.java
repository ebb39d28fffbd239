package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service end to end, from the packaged jar: {@code watch} serves the API and follows every
 * change; the CLI's queries ask it and print exactly what they print in-process; {@code serve}
 * serves an index without watching; a port in use is one clear line.
 */
class ApiJarIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final double DEBOUNCE = 0.5;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path workspace;

    @Test
    void theWatchersApiFollowsDropsAndDeletesAndTheCliAsksIt() throws Exception {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: " + DEBOUNCE + "\n");
        Path raw = workspace.resolve("raw_assets");
        TestMedia.jpeg(raw.resolve("holiday/beach_sunset.jpg"), 640, 480, 1);
        TestMedia.jpeg(raw.resolve("office/invoice_scan.jpg"), 480, 640, 2);
        TestMedia.wav(raw.resolve("music/piano_lullaby.wav"), 1.0, 3);
        try (WatcherProcess watcher = WatcherProcess.startWatching(workspace)) {
            URI api = watcher.apiUrl();
            assertThat(api.getHost()).isEqualTo("127.0.0.1");
            assertThat(getJson(api, "/api/v1/status").at("/watcher/state/api/url").asText()).isEqualTo(api.toString());

            // A dropped file is found within the debounce and a second.
            long dropped = System.nanoTime();
            TestMedia.jpeg(raw.resolve("aerial/drone_over_the_coast.jpg"), 800, 600, 4);
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                    paths(getJson(api, "/api/v1/search?q=drone&limit=10")).contains("raw_assets/aerial/drone_over_the_coast.jpg"));
            Duration found = Duration.ofNanos(System.nanoTime() - dropped);
            assertThat(found).isLessThan(Duration.ofMillis((long) (DEBOUNCE * 1000) + 1000 + 1500));

            // The CLI asks the service, and prints exactly what it prints when it answers itself.
            String id = getJson(api, "/api/v1/search?q=drone&limit=1").at("/results/0/id").asText();
            for (List<String> command : List.of(List.of("search", "drone over the coast"),
                    List.of("search", "beach", "--json", "--type", "image"), List.of("list"),
                    List.of("list", "--sort", "name", "--json"), List.of("show", id), List.of("show", id, "--json"),
                    List.of("similar", id, "--limit", "2"), List.of("log", "--limit", "5"))) {
                JarRunner.Result viaService = JarRunner.run(workspace, command.toArray(String[]::new));
                List<String> local = new ArrayList<>(command);
                local.add("--local");
                JarRunner.Result here = JarRunner.run(workspace, local.toArray(String[]::new));
                assertThat(viaService.exitCode()).as(command + viaService.err()).isZero();
                assertThat(viaService.err()).as(command.toString()).isEmpty();
                assertThat(viaService.out()).as(command.toString()).isEqualTo(here.out());
            }
            long searchesBefore = searchRequests(api);
            JarRunner.run(workspace, "search", "beach");
            assertThat(searchRequests(api)).as("the CLI's search went to the service").isEqualTo(searchesBefore + 1);
            JarRunner.Result status = JarRunner.run(workspace, "status");
            assertThat(status.out()).contains("api", api.toString());

            // A deleted file leaves the results within the same time.
            Files.delete(raw.resolve("aerial/drone_over_the_coast.jpg"));
            await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() ->
                    !paths(getJson(api, "/api/v1/search?q=drone&limit=10")).contains("raw_assets/aerial/drone_over_the_coast.jpg"));
            assertThat(get(api, "/api/v1/assets/" + id + "/file").statusCode()).isEqualTo(404);

            assertThat(watcher.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(watcher.state().path("state").asText()).isEqualTo("stopped");
            assertThat(watcher.state().get("api").isNull()).isTrue();
        }
        // Without a service, the same command answers in its own process.
        JarRunner.Result after = JarRunner.run(workspace, "search", "beach", "--json");
        assertThat(after.exitCode()).isZero();
        assertThat(after.err()).isEmpty();
    }

    @Test
    void aPortInUseStopsServeAndOnlyTheApiOfWatch() throws Exception {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\n");
        TestMedia.jpeg(workspace.resolve("raw_assets/a.jpg"), 64, 48, 1);
        assertThat(JarRunner.run(workspace, "scan").exitCode()).isZero();
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            String port = String.valueOf(taken.getLocalPort());
            JarRunner.Result serve = JarRunner.run(workspace, Map.of(WatcherProcess.ANY_PORT, port), "serve");
            assertThat(serve.exitCode()).isEqualTo(ExitCode.USAGE);
            assertThat(serve.err()).isEqualTo("asset-index: cannot serve the API on 127.0.0.1:" + port + ": the port is"
                    + " in use (another asset-index, or another program); set server.port to a free port, or"
                    + " server.enabled: false\n");

            try (WatcherProcess watcher = WatcherProcess.launch(workspace, Map.of(WatcherProcess.ANY_PORT, port),
                    "watch")) {
                watcher.awaitPhase("watching");
                assertThat(watcher.state().get("api").isNull()).isTrue();
                assertThat(watcher.state().path("api_error").asText()).contains("the port is in use");
                TestMedia.jpeg(workspace.resolve("raw_assets/b.jpg"), 64, 48, 2);
                await().atMost(WAIT).until(() -> watcher.state().path("processed_count").asInt() == 1);
                JarRunner.Result status = JarRunner.run(workspace, "status");
                assertThat(status.out()).contains("api           down: cannot serve the API on 127.0.0.1:" + port);
                assertThat(Files.readString(workspace.resolve(".asset_index/logs/watcher.err.log")))
                        .contains("cannot serve the API on 127.0.0.1:" + port);
                JarRunner.Result search = JarRunner.run(workspace, "search", "a");
                assertThat(search.exitCode()).as(search.err()).isZero();
                assertThat(watcher.terminate(Duration.ofSeconds(30))).isZero();
            }
        }
    }

    @Test
    void serveAnswersWithoutWatchingAndStopsCleanly() throws Exception {
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\n");
        TestMedia.jpeg(workspace.resolve("raw_assets/holiday/beach.jpg"), 64, 48, 1);
        assertThat(JarRunner.run(workspace, "scan").exitCode()).isZero();
        try (WatcherProcess server = WatcherProcess.launch(workspace, Map.of(WatcherProcess.ANY_PORT, "0"), "serve")) {
            server.awaitPhase("serving");
            URI api = server.apiUrl();
            assertThat(paths(getJson(api, "/api/v1/search?q=beach"))).containsExactly("raw_assets/holiday/beach.jpg");
            assertThat(getJson(api, "/api/v1/status").at("/watcher/state/state").asText()).isEqualTo("serving");
            // Nothing is watched: a new file is not indexed.
            TestMedia.jpeg(workspace.resolve("raw_assets/new.jpg"), 64, 48, 2);
            Thread.sleep(1500);
            assertThat(getJson(api, "/api/v1/assets").get("total").asInt()).isEqualTo(1);
            // One service per workspace.
            JarRunner.Result watch = JarRunner.run(workspace, "watch");
            assertThat(watch.exitCode()).isEqualTo(ExitCode.LOCKED);
            // Requeue works without a watcher too.
            HttpResponse<String> requeue = http.send(HttpRequest.newBuilder(api.resolve("/api/v1/requeue"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(requeue.statusCode()).isEqualTo(200);
            assertThat(Json.read(requeue.body()).get("started").asBoolean()).isTrue();

            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(server.state().path("state").asText()).isEqualTo("stopped");
        }
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\nserver:\n"
                + "  token_env: NOT_SET_ANYWHERE_42\n");
        JarRunner.Result noToken = JarRunner.run(workspace, "serve");
        assertThat(noToken.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(noToken.err()).startsWith("asset-index: server.token_env names $NOT_SET_ANYWHERE_42, which is not set");
    }

    private long searchRequests(URI api) throws Exception {
        String metrics = get(api, "/metrics").body();
        return metrics.lines().filter(line -> line.startsWith("asset_index_http_request_duration_seconds_count{route=\"search\"}"))
                .mapToLong(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private HttpResponse<String> get(URI api, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode getJson(URI api, String path) throws IOException, InterruptedException {
        HttpResponse<String> response = get(api, path);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.read(response.body());
    }

    private static List<String> paths(JsonNode document) {
        List<String> paths = new ArrayList<>();
        document.path("results").forEach(result -> result.path("paths").forEach(path -> paths.add(path.asText())));
        return paths;
    }
}
