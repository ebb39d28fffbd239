package io.assetindex.bench;

import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The watcher benchmark: the launcher running {@code asset-index watch} on a temp workspace
 * with the default configuration (debounce 1.5 s), measured from outside as a user sees it.
 *
 * <ol>
 *   <li>latency: a small JPEG is written and closed, then the index is polled every 5 ms until
 *       its row is committed; 20 files one after another, median and worst;</li>
 *   <li>burst: 10,000 small files copied into the watched folder as fast as possible; time
 *       until all are indexed, files processed more than once, the watcher's peak RSS.</li>
 * </ol>
 *
 * Run: {@code mvn -q -DskipTests package test-compile && java -cp target/test-classes:target/asset-index.jar
 * io.assetindex.bench.WatchBenchmark [--files 10000] [--samples 20]}. Linux only (reads /proc for RSS).
 */
public final class WatchBenchmark {
    public static void main(String[] args) throws Exception {
        int files = 10_000;
        int samples = 20;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path workspace = Files.createTempDirectory("asset-index-watch-bench");
        Path raw = Files.createDirectories(workspace.resolve("raw_assets"));
        Path database = workspace.resolve(".asset_index/index.db");
        try (LauncherWatcher watcher = LauncherWatcher.start(workspace, "", null)) {
            watcher.awaitWatching(workspace, 60);
            System.out.printf("asset-index watch benchmark in %s (%d cores, Java %s, debounce 1.5 s)%n%n", workspace,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            latency(raw, database, samples);
            burst(workspace, raw, database, files, watcher);
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }

    private static void latency(Path raw, Path database, int samples) throws Exception {
        double[] millis = new double[samples];
        for (int i = 0; i < samples; i++) {
            Path staged = TestMedia.jpeg(raw.getParent().resolve("staged-" + i + ".jpg"), 320, 240, i);
            byte[] bytes = Files.readAllBytes(staged);
            Files.delete(staged);
            String name = "latency/photo" + i + ".jpg";
            Files.createDirectories(raw.resolve("latency"));
            Files.write(raw.resolve(name), bytes); // opened, written, closed
            long closedAt = System.nanoTime();
            LauncherWatcher.waitFor(() -> Files.exists(database) && SqliteFile.count(database,
                    "SELECT count(*) FROM asset_paths WHERE rel_path = ? AND deleted_at IS NULL", name) == 1, 30, 5);
            millis[i] = (System.nanoTime() - closedAt) / 1e6;
        }
        double median = Measure.median(millis);
        double worst = Arrays.stream(millis).max().orElse(0);
        System.out.printf("latency close -> committed row, %d small JPEGs: median %.0f ms, worst %.0f ms"
                + " (target: median <= 1800 ms) %s%n", samples, median, worst, Measure.verdict(median <= 1800));
    }

    private static void burst(Path workspace, Path raw, Path database, int files, LauncherWatcher watcher)
            throws Exception {
        Path staging = Files.createDirectories(workspace.resolve("staging"));
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            sources.add(TestMedia.wav(staging.resolve("take" + i + ".wav"), 0.01, i));
        }
        long before = SqliteFile.count(database, "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL");
        Path target = Files.createDirectories(raw.resolve("burst"));
        long start = System.nanoTime();
        for (Path source : sources) {
            Files.copy(source, target.resolve(source.getFileName()));
        }
        double copySeconds = (System.nanoTime() - start) / 1e9;
        LauncherWatcher.waitFor(() -> SqliteFile.count(database,
                "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL") == before + files, 600, 100);
        double seconds = (System.nanoTime() - start) / 1e9;
        long twice = SqliteFile.count(database, "SELECT count(*) FROM (SELECT file_path FROM process_log"
                + " WHERE file_path LIKE 'raw_assets/burst/%' GROUP BY file_path HAVING count(*) > 1)");
        long failed = SqliteFile.count(database, "SELECT count(*) FROM process_log WHERE status = 'failed'");
        double peakMib = watcher.peakRssMib();
        System.out.printf("burst of %d files (copied in %.1f s): all indexed after %.1f s (%.0f files/s),"
                + " %d processed twice, %d failed, watcher peak RSS %.0f MiB (target < 300) %s%n", files, copySeconds,
                seconds, files / seconds, twice, failed, peakMib, Measure.verdict(twice == 0 && failed == 0 && peakMib < 300));
    }
}
