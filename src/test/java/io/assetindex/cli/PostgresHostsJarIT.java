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
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several machines, one PostgreSQL index, end to end: two watcher processes of the packaged jar
 * with different {@code host_name}s race on the same files (copies of the same bytes dropped into
 * both workspaces at once): every content is one asset, analysed once (one thumbnail over both
 * workspaces), with a path per host, and no attempt fails. A third watcher of the same host and
 * watch path is refused with exit 3 naming the holder; {@code show} prints {@code host:path};
 * {@code status} lists both watchers alive; a service serves the bytes of its own host only.
 */
class PostgresHostsJarIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int FILES = 400;

    @TempDir
    Path machineA;
    @TempDir
    Path machineB;
    @TempDir
    Path machineC;

    @Test
    void twoHostsRacingOnTheSameFilesMakeOneAssetPerContentWithAPathPerHost() throws Exception {
        String url = TestPostgres.newDatabase();
        for (Path workspace : List.of(machineA, machineB, machineC)) {
            Files.createDirectories(workspace.resolve("raw_assets"));
        }
        for (int i = 0; i < FILES; i++) {
            byte[] bytes = TestMedia.jpegBytes(24, 16, i);
            TestMedia.write(machineA.resolve("staging/" + i + ".jpg"), bytes);
            TestMedia.write(machineB.resolve("staging/" + i + ".jpg"), bytes);
        }
        TestMedia.jpeg(machineB.resolve("raw_assets/only_on_b.jpg"), 24, 16, FILES + 1);

        try (WatcherProcess a = WatcherProcess.launch(machineA, env(url, "host-a"), "watch");
                WatcherProcess b = WatcherProcess.launch(machineB, env(url, "host-b"), "watch")) {
            a.awaitPhase("watching");
            b.awaitPhase("watching");
            long started = System.nanoTime();
            Files.move(machineA.resolve("staging"), machineA.resolve("raw_assets/batch"));
            Files.move(machineB.resolve("staging"), machineB.resolve("raw_assets/batch"));

            try {
                await("every copy indexed on both hosts").atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .failFast(() -> assertThat(a.isAlive() && b.isAlive()).as(a.output() + b.output()).isTrue())
                        .until(() -> count(url, "SELECT count(*) FROM process_log WHERE file_path LIKE"
                                + " 'raw_assets/batch/%'"), attempts -> attempts >= 2L * FILES);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError(count(url, "SELECT count(*) FROM process_log") + " attempts in all; host-a:\n"
                        + a.output() + "\nhost-b:\n" + b.output(), e);
            }
            System.out.printf("two hosts indexed %d copies of %d contents in %.1f s%n", 2 * FILES, FILES,
                    (System.nanoTime() - started) / 1e9);

            assertThat(count(url, "SELECT count(*) FROM process_log WHERE status = 'failed'")).isZero();
            assertThat(count(url, "SELECT count(*) FROM assets")).isEqualTo(FILES + 1);
            assertThat(count(url, "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL AND rel_path LIKE 'batch/%'"
                    + " AND host IN ('host-a', 'host-b')")).isEqualTo(2L * FILES);
            assertThat(count(url, "SELECT count(*) FROM (SELECT asset_id FROM asset_paths WHERE rel_path LIKE 'batch/%'"
                    + " GROUP BY asset_id HAVING count(DISTINCT host) = 2 AND count(*) = 2) per_asset")).isEqualTo(FILES);
            assertThat(thumbnails(machineA) + thumbnails(machineB)).as("each content analysed once")
                    .isEqualTo(FILES + 1);

            JarRunner.Result second = JarRunner.run(machineC, env(url, "host-a"), "watch");
            assertThat(second.exitCode()).as(second.out() + second.err()).isEqualTo(ExitCode.LOCKED);
            assertThat(second.err().strip().lines()).singleElement().asString()
                    .contains("watch path raw_assets of host host-a is owned by another watcher (pid " + a.pid()
                            + " in " + machineA.toRealPath());

            JarRunner.Result show = JarRunner.run(machineA, env(url, "host-a"), "show", "raw_assets/batch/7.jpg");
            assertThat(show.exitCode()).as(show.err()).isZero();
            assertThat(show.out()).contains("host-a:raw_assets/batch/7.jpg", "host-b:raw_assets/batch/7.jpg");

            JarRunner.Result status = JarRunner.run(machineA, env(url, "host-a"), "status", "--json");
            assertThat(status.exitCode()).as(status.err()).isZero();
            List<String> watchers = new ArrayList<>();
            for (JsonNode watcher : Json.read(status.out()).path("watchers")) {
                watchers.add(watcher.path("host").asText() + " " + watcher.path("health").asText());
            }
            assertThat(watchers).containsExactly("host-a alive", "host-b alive");

            String onlyOnB = Json.read(JarRunner.run(machineB, env(url, "host-b"), "show", "--json",
                    "raw_assets/only_on_b.jpg").out()).path("asset").path("id").asText();
            HttpResponse<String> fromA = get(a.apiUrl(), "/api/v1/assets/" + onlyOnB + "/file");
            assertThat(fromA.statusCode()).isEqualTo(404);
            assertThat(fromA.body()).contains("is on host host-b");
            assertThat(get(b.apiUrl(), "/api/v1/assets/" + onlyOnB + "/file").statusCode()).isEqualTo(200);

            assertThat(a.terminate(Duration.ofSeconds(30))).isZero();
            assertThat(b.terminate(Duration.ofSeconds(30))).isZero();
        }
        assertThat(count(url, "SELECT count(*) FROM watchers WHERE state = 'stopped'")).isEqualTo(2);
    }

    private static Map<String, String> env(String url, String host) {
        Map<String, String> env = new HashMap<>();
        env.put("ASSET_INDEX_DATABASE__URL", url);
        env.put("ASSET_INDEX_HOST_NAME", host);
        env.put(WatcherProcess.ANY_PORT, "0");
        return env;
    }

    private static long thumbnails(Path workspace) throws IOException {
        Path thumbs = workspace.resolve(".asset_index/thumbs");
        if (!Files.isDirectory(thumbs)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(thumbs)) {
            return files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".jpg")).count();
        }
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection connection = TestPostgres.connect(url); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpResponse<String> get(URI api, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(api.resolve(path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
