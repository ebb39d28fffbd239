package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: files dropped into a watched folder are found by {@code search} and
 * {@code similar} run from the packaged jar (the bundled model, no network) while the watcher
 * keeps running; a deleted path disappears from the results.
 */
class SearchJarIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path workspace;

    @Test
    void searchAndSimilarWorkFromTheJarWhileTheWatcherRuns() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "debounce_seconds: 0.3\n");
        Path raw = workspace.resolve("raw_assets");
        Files.createDirectories(raw);
        Path database = workspace.resolve(".asset_index/index.db");
        try (WatcherProcess watcher = WatcherProcess.startWatching(workspace)) {
            TestMedia.jpeg(raw.resolve("holiday/beach_sunset_waves.jpg"), 640, 480, 1);
            TestMedia.jpeg(raw.resolve("holiday/beach_volleyball.jpg"), 640, 480, 2);
            TestMedia.jpeg(raw.resolve("office/invoice_scan_march.jpg"), 480, 640, 3);
            Ffmpeg.clip(raw.resolve("aerial/drone_shot_over_the_coast.mp4"), 320, 240, 1.0, false, 4);
            TestMedia.wav(raw.resolve("music/piano_lullaby.wav"), 1.0, 5);
            await().atMost(WAIT).until(() -> SqliteFile.count(database,
                    "SELECT count(*) FROM assets_vec") == 5);

            JsonNode drone = search("drone shot over the coast", "--json");
            assertThat(drone.get("searched").asInt()).isEqualTo(5);
            assertThat(firstPaths(drone).get(0)).isEqualTo("raw_assets/aerial/drone_shot_over_the_coast.mp4");
            assertThat(firstPaths(search("a receipt or invoice", "--json", "--limit", "1")))
                    .containsExactly("raw_assets/office/invoice_scan_march.jpg");
            assertThat(firstPaths(search("music", "--json", "--type", "audio")))
                    .containsExactly("raw_assets/music/piano_lullaby.wav");

            JarRunner.Result human = JarRunner.run(workspace, "search", "beach");
            assertThat(human.exitCode()).as(human.err()).isZero();
            assertThat(human.out()).contains("raw_assets/holiday/beach_sunset_waves.jpg", "image", "640x480");

            JarRunner.Result similar = JarRunner.run(workspace, "similar", "raw_assets/holiday/beach_sunset_waves.jpg",
                    "--json", "--limit", "1");
            assertThat(similar.exitCode()).as(similar.err()).isZero();
            assertThat(firstPaths(Json.read(similar.out()))).containsExactly("raw_assets/holiday/beach_volleyball.jpg");

            Files.delete(raw.resolve("holiday/beach_volleyball.jpg"));
            await().atMost(WAIT).until(() -> SqliteFile.count(database,
                    "SELECT count(*) FROM asset_paths WHERE deleted_at IS NOT NULL") == 1);
            assertThat(firstPaths(search("beach volleyball", "--json"))).hasSize(4)
                    .doesNotContain("raw_assets/holiday/beach_volleyball.jpg");
            assertThat(watcher.isAlive()).isTrue();
        }

        JarRunner.Result badMetric = JarRunner.run(workspace, "search", "beach", "--metric", "dot");
        assertThat(badMetric.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(badMetric.out()).isEmpty();
        JarRunner.Result unknown = JarRunner.run(workspace, "similar", "raw_assets/holiday/never_there.jpg");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(unknown.err().lines().count()).as(unknown.out() + "|" + unknown.err()).isEqualTo(1);
    }

    private JsonNode search(String... args) {
        List<String> full = new ArrayList<>(List.of("search"));
        full.addAll(List.of(args));
        JarRunner.Result run = JarRunner.run(workspace, full.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).isEmpty();
        return Json.read(run.out());
    }

    private static List<String> firstPaths(JsonNode document) {
        List<String> paths = new ArrayList<>();
        document.get("results").forEach(result -> paths.add(result.at("/paths/0").asText()));
        return paths;
    }
}
