package io.assetindex.bench;

import io.assetindex.app.Assembly;
import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigLoader;
import io.assetindex.query.LocalQueries;
import io.assetindex.query.QueryException;
import io.assetindex.query.SearchQuery;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.SearchFilter;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the keyword index costs and what hybrid search takes, at N assets (default 100,000,
 * ServiceBenchmark's index with its keyword rows written by the triggers): the index's share of
 * index.db, hybrid against semantic search in one process and in the running service, and the
 * first-scan rate of new files with and without the keyword index's triggers (side by side,
 * alternating runs).
 */
public final class KeywordBenchmark {
    private static final List<String> QUERIES = List.of("drone shot over the coast", "shoot 42", "image_000042",
            "a beach at sunset", "documentary archive", "video from shoot 7", "people talking in an office",
            "JOB-12 image", "calm piano music", "city street at night");
    private static final Path LAUNCHER = Path.of("packaging/asset-index").toAbsolutePath();

    /**
     * Where the first scans run (default: the system's temporary folder). On tmpfs ({@code /dev/shm})
     * the file system's noise is gone and what is left is the index's own cost.
     */
    private static Path scanDir;

    private KeywordBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new java.util.HashMap<>(Map.of("--assets", 100_000, "--files", 2_000,
                "--rounds", 30, "--runs", 7));
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--scan-dir") && i + 1 < args.length) {
                scanDir = Path.of(args[i + 1]);
                continue;
            }
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + options.keySet()
                        + ", --scan-dir DIR");
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        System.out.printf("asset-index keyword index benchmark (%d cores, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        Path workspace = Files.createTempDirectory("asset-index-keyword-bench");
        try {
            Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\nserver:\n  port: 0\n");
            TestMedia.jpeg(workspace.resolve("raw_assets/seed.jpg"), 640, 480, 1);
            if (Measure.run(workspace, List.of(LAUNCHER.toString(), "scan")).exitCode() != 0) {
                throw new IllegalStateException("scan failed");
            }
            Path database = workspace.resolve(".asset_index/index.db");
            long start = System.nanoTime();
            ServiceBenchmark.fill(database, options.get("--assets"));
            System.out.printf("index: %,d assets written in %.1f s (keyword rows by the triggers)%n",
                    options.get("--assets"), (System.nanoTime() - start) / 1e9);
            size(database);
            inProcess(workspace, options.get("--rounds"));
            service(workspace, options.get("--rounds"));
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
        writeCost(options.get("--files"), options.get("--runs"));
        scanRate(options.get("--files"), options.get("--runs"));
    }

    /** index.db with the keyword index, and a copy without it. */
    private static void size(Path database) throws Exception {
        Path copy = database.resolveSibling("without-keywords.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database); Statement s = c.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            s.execute("VACUUM INTO '" + copy + "'");
        }
        long with = Files.size(copy);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement s = c.createStatement()) {
            s.execute("DROP TABLE assets_fts");
            s.execute("VACUUM");
        }
        long without = Files.size(copy);
        Files.delete(copy);
        System.out.printf(Locale.ROOT, "index.db: %.1f MiB with the keyword index, %.1f MiB without: it is %.1f%% of"
                + " index.db (target <= 30%%) %s%n", with / 1048576.0, without / 1048576.0, 100.0 * (with - without)
                / with, (with - without) <= 0.3 * with ? "PASS" : "FAIL");
    }

    private static void inProcess(Path workspace, int rounds) throws QueryException {
        AppConfig config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
        try (Assembly assembly = Assembly.open(config, System.getenv()::get, Clock.systemUTC(), Assembly.Use.SERVICE)) {
            LocalQueries queries = assembly.queries();
            for (String mode : List.of("semantic", "hybrid", "keyword")) {
                ask(queries, mode, 3); // warm up: vectors loaded, model loaded, JIT
            }
            Map<String, Double> medians = new java.util.LinkedHashMap<>();
            for (String mode : List.of("semantic", "hybrid", "keyword")) {
                medians.put(mode, ServiceBenchmark.percentile(ask(queries, mode, rounds), 50));
            }
            System.out.printf(Locale.ROOT, "in process, medians of %d x %d queries: semantic %.1f ms, hybrid %.1f ms,"
                    + " keyword %.1f ms; hybrid / semantic %.2fx (target <= 1.5x) %s%n", rounds, QUERIES.size(),
                    medians.get("semantic"), medians.get("hybrid"), medians.get("keyword"),
                    medians.get("hybrid") / medians.get("semantic"),
                    medians.get("hybrid") <= 1.5 * medians.get("semantic") ? "PASS" : "FAIL");
        }
    }

    private static List<Double> ask(LocalQueries queries, String mode, int rounds) throws QueryException {
        List<Double> times = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (String text : QUERIES) {
                long start = System.nanoTime();
                queries.search(new SearchQuery(text, mode, SearchFilter.NONE, 10, 0, Metric.COSINE, null));
                times.add((System.nanoTime() - start) / 1e6);
            }
        }
        return times;
    }

    private static void service(Path workspace, int rounds) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        try (LauncherWatcher watcher = LauncherWatcher.start(workspace, "", null)) {
            watcher.awaitWatching(workspace, 300);
            String api = Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json").toFile()).at("/api/url")
                    .asText();
            Map<String, Double> medians = new java.util.LinkedHashMap<>();
            for (String mode : List.of("semantic", "hybrid", "semantic", "hybrid")) {
                List<Double> times = new ArrayList<>();
                for (int round = 0; round < rounds; round++) {
                    for (String text : QUERIES) {
                        long start = System.nanoTime();
                        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(api
                                + "/api/v1/search?mode=" + mode + "&q=" + URLEncoder.encode(text, StandardCharsets.UTF_8)))
                                .build(), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            throw new IllegalStateException(response.body());
                        }
                        times.add((System.nanoTime() - start) / 1e6);
                    }
                }
                medians.put(mode, ServiceBenchmark.percentile(times, 50)); // the second pass of each counts
            }
            System.out.printf(Locale.ROOT, "service, GET /api/v1/search, medians of %d: semantic %.1f ms, hybrid %.1f ms"
                    + " (target p50 <= 30 ms) %s%n", rounds * QUERIES.size(), medians.get("semantic"),
                    medians.get("hybrid"), medians.get("hybrid") <= 30 ? "PASS" : "FAIL");
            watcher.stop();
        }
    }

    /**
     * What the keyword index's triggers add to recording a new file, measured alone: an asset and
     * its path written in one transaction each (as the indexer writes them, statements prepared
     * once), into a fresh index with and without the triggers, alternating. Far less noisy than a
     * whole scan, whose time the file system moves by several per cent from run to run.
     */
    private static void writeCost(int files, int runs) throws Exception {
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            with.add(writes(files, false));
            without.add(writes(files, true));
        }
        double a = ServiceBenchmark.percentile(with, 50);
        double b = ServiceBenchmark.percentile(without, 50);
        System.out.printf(Locale.ROOT, "recording a new file (asset + path, one transaction), medians of %d x %,d: %.3f ms"
                + " with the keyword index, %.3f without: +%.3f ms per file%n", runs, files, a, b, a - b);
    }

    /** A workspace with an empty index made by the launcher, without the keyword index's triggers if asked. */
    private static Path freshIndex(String prefix, boolean withoutTriggers) throws Exception {
        Path workspace = scanDir == null ? Files.createTempDirectory(prefix) : Files.createTempDirectory(scanDir, prefix);
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\n");
        Files.createDirectories(workspace.resolve("raw_assets"));
        Measure.run(workspace, List.of(LAUNCHER.toString(), "scan")); // creates the index
        if (withoutTriggers) {
            Path index = workspace.resolve(".asset_index/index.db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + index); Statement s = c.createStatement()) {
                for (String trigger : List.of("update", "delete", "path_insert", "path_update", "path_delete")) {
                    s.execute("DROP TRIGGER assets_fts_" + trigger);
                }
            }
        }
        return workspace;
    }

    /** Milliseconds per new file recorded. */
    private static double writes(int files, boolean withoutTriggers) throws Exception {
        Path workspace = freshIndex("asset-index-keyword-writes", withoutTriggers);
        try {
            Path index = workspace.resolve(".asset_index/index.db");
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + index)) {
                io.assetindex.store.SearchWords.register(c);
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA journal_mode = WAL");
                    s.execute("PRAGMA synchronous = NORMAL");
                }
                c.setAutoCommit(false);
                try (java.sql.PreparedStatement asset = c.prepareStatement("INSERT INTO assets (id, file_name, file_path,"
                        + " source_root, media_type, size_bytes, mtime, width, height, raw_json, indexed_at) VALUES (?, ?,"
                        + " ?, 'raw_assets', 'image', 1000, 1700000000, 64, 48, ?, '2026-01-01T00:00:00.000Z')");
                        java.sql.PreparedStatement path = c.prepareStatement("INSERT INTO asset_paths (asset_id,"
                                + " source_root, rel_path, abs_path, size_bytes, mtime_ns, first_seen_at, last_seen_at)"
                                + " VALUES (?, 'raw_assets', ?, ?, 1000, 0, '2026-01-01T00:00:00.000Z',"
                                + " '2026-01-01T00:00:00.000Z')")) {
                    long start = System.nanoTime();
                    for (int i = 0; i < files; i++) {
                        String id = String.format("%064x", i + 1);
                        String rel = "d" + i % 50 + "/IMG_" + i + ".jpg";
                        asset.setString(1, id);
                        asset.setString(2, "IMG_" + i + ".jpg");
                        asset.setString(3, workspace.resolve("raw_assets").resolve(rel).toString());
                        asset.setString(4, "{\"probe\": {\"format\": \"JPEG\", \"camera_make\": \"FUJIFILM\","
                                + " \"camera_model\": \"X-T5\", \"width\": 64, \"height\": 48}}");
                        asset.executeUpdate();
                        path.setString(1, id);
                        path.setString(2, rel);
                        path.setString(3, workspace.resolve("raw_assets").resolve(rel).toString());
                        path.executeUpdate();
                        c.commit();
                    }
                    return (System.nanoTime() - start) / 1e6 / files;
                }
            }
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }

    /**
     * New files per second of a first scan through the launcher, with and without the keyword index's
     * triggers, alternating; and the scan's CPU time per file, which the file system's noise (creating
     * thousands of thumbnails just after deleting the last run's) disturbs less.
     */
    private static void scanRate(int files, int runs) throws Exception {
        List<Double> with = new ArrayList<>();
        List<Double> without = new ArrayList<>();
        List<Double> withCpu = new ArrayList<>();
        List<Double> withoutCpu = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            double[] a = scan(files, false);
            with.add(a[0]);
            withCpu.add(a[1]);
            double[] b = scan(files, true);
            without.add(b[0]);
            withoutCpu.add(b[1]);
        }
        double a = ServiceBenchmark.percentile(with, 50);
        double b = ServiceBenchmark.percentile(without, 50);
        System.out.printf(Locale.ROOT, "first scan of %,d small JPEGs in %s (medians of %d): %.0f files/s with the"
                + " keyword index, %.0f without: %.1f%% slower (target <= 5%%) %s; CPU %.2f / %.2f ms per file (%+.1f%%)%n",
                files, scanDir == null ? System.getProperty("java.io.tmpdir") : scanDir, runs, a, b, 100 * (1 - a / b),
                a >= 0.95 * b ? "PASS" : "FAIL",
                ServiceBenchmark.percentile(withCpu, 50), ServiceBenchmark.percentile(withoutCpu, 50),
                100 * (ServiceBenchmark.percentile(withCpu, 50) / ServiceBenchmark.percentile(withoutCpu, 50) - 1));
    }

    /** Files per second and CPU milliseconds per file of one first scan. */
    private static double[] scan(int files, boolean withoutTriggers) throws Exception {
        Path workspace = freshIndex("asset-index-keyword-scan", withoutTriggers);
        try {
            for (int i = 0; i < files; i++) {
                TestMedia.jpeg(workspace.resolve("raw_assets/d" + i % 50 + "/IMG_" + i + ".jpg"), 64, 48, i);
            }
            Path out = workspace.resolve("scan.json");
            Measure.Run run = Measure.run(workspace, List.of("sh", "-c", LAUNCHER + " scan --json > " + out));
            com.fasterxml.jackson.databind.JsonNode summary = Json.read(Files.readString(out, StandardCharsets.UTF_8));
            if (summary.path("indexed").asInt() != files) {
                throw new IllegalStateException("expected " + files + " indexed: " + summary);
            }
            return new double[] {files / summary.path("seconds").asDouble(), run.cpuSeconds() * 1000 / files};
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }
}
