package io.assetindex.bench;

import io.assetindex.testing.MediaMutations;
import io.assetindex.testing.SqliteFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile files dropped into a running watcher: the launcher's {@code watch} with
 * {@code -Xmx256m} on a temp workspace, and N files made from real files of every supported
 * format with header fields set to extremes, lengths changed, files cut short, bits flipped and
 * blocks repeated ({@link MediaMutations}, from a seeded random: the same files every run).
 * They are dropped (renamed in, a batch at a time) into the watched folder while the watcher
 * runs, then it is waited for until every file has its attempt recorded. Reported: whether the
 * watcher stayed alive, whether every file was recorded exactly once (one process_log row per
 * path), the outcomes by stage, the watcher's peak resident memory (VmHWM, target at most 1 GB)
 * and the time taken.
 *
 * <p>Run: {@code mvn -q -DskipTests package test-compile && java -cp
 * target/test-classes:target/asset-index.jar io.assetindex.bench.FuzzWatchBenchmark [--files 10000]
 * [--seed 1] [--batch 500]}. Linux only (reads /proc).
 */
public final class FuzzWatchBenchmark {
    private static final double MAX_RSS_MIB = 1024;

    public static void main(String[] args) throws Exception {
        int files = 10_000;
        long seed = 1;
        int batch = 500;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path workspace = Files.createTempDirectory("asset-index-fuzz-bench");
        Path raw = Files.createDirectories(workspace.resolve("raw_assets"));
        Path staging = Files.createDirectories(workspace.resolve("staging"));
        Path database = workspace.resolve(".asset_index/index.db");
        Random random = new Random(seed);
        List<Path> made = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            MediaMutations.Mutant mutant = MediaMutations.mutate(random::nextInt);
            made.add(Files.write(staging.resolve("m" + i + "." + mutant.extension()), mutant.bytes()));
        }
        System.out.printf("asset-index fuzz-watch benchmark in %s (%d cores, Java %s): %d mutated files, seed %d%n",
                workspace, Runtime.getRuntime().availableProcessors(), Runtime.version(), files, seed);
        try (LauncherWatcher watcher = LauncherWatcher.start(workspace, "-Xmx256m", workspace.resolve("watch.log"))) {
            watcher.awaitWatching(workspace, 120);
            long start = System.nanoTime();
            for (int from = 0; from < made.size(); from += batch) {
                Path folder = Files.createDirectories(raw.resolve("drop-" + from / batch));
                for (Path file : made.subList(from, Math.min(made.size(), from + batch))) {
                    Files.move(file, folder.resolve(file.getFileName()));
                }
            }
            int expected = files;
            LauncherWatcher.waitFor(() -> !watcher.alive() || SqliteFile.count(database,
                    "SELECT count(DISTINCT file_path) FROM process_log WHERE file_path LIKE 'raw_assets/drop-%'")
                    >= expected, 3600, 1000);
            // Let anything that would record a file twice (a rescan, a retry) happen.
            Thread.sleep(5_000);
            double seconds = (System.nanoTime() - start) / 1e9;
            boolean alive = watcher.alive();
            double peakMib = watcher.peakRssMib();
            report(database, files, seconds, alive, peakMib);
            System.out.println("watcher stopped with exit code " + watcher.stop());
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }

    private static void report(Path database, int files, double seconds, boolean alive, double peakMib) {
        long recorded = SqliteFile.count(database,
                "SELECT count(DISTINCT file_path) FROM process_log WHERE file_path LIKE 'raw_assets/drop-%'");
        long twice = SqliteFile.count(database, "SELECT count(*) FROM (SELECT file_path FROM process_log"
                + " WHERE file_path LIKE 'raw_assets/drop-%' GROUP BY file_path HAVING count(*) > 1)");
        System.out.printf("%d of %d files recorded in %.0f s (%.0f files/s); %d recorded more than once%n", recorded,
                files, seconds, recorded / seconds, twice);
        for (Map<String, Object> row : SqliteFile.rows(database, "SELECT status, coalesce(stage, '') AS stage,"
                + " count(*) AS n FROM process_log WHERE file_path LIKE 'raw_assets/drop-%' GROUP BY 1, 2 ORDER BY 3 DESC")) {
            System.out.printf("  %-7s %-10s %6d%n", row.get("status"), row.get("stage"), ((Number) row.get("n")).longValue());
        }
        boolean ok = alive && recorded == files && twice == 0 && peakMib <= MAX_RSS_MIB;
        System.out.printf("watcher alive: %s; peak RSS %.0f MiB (target <= %.0f) %s%n", alive ? "yes" : "NO", peakMib,
                MAX_RSS_MIB, Measure.verdict(ok));
    }
}
