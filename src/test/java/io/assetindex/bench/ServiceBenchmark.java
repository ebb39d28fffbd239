package io.assetindex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.store.Vectors;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The running service under load, as people and scripts use it, through the launcher
 * (packaging/asset-index) and the packaged jar:
 *
 * <ol>
 *   <li>an index of {@code --assets} (100,000) assets with 384-dimension vectors: one real photo
 *       scanned (so the model is the bundled one), the rest written straight into index.db as an
 *       indexer writes them (rows, paths under a watch path of their own that is not configured,
 *       analysis fields, random unit vectors);</li>
 *   <li>{@code watch} started by the launcher; then, while {@code --burst} (300) new photos are
 *       dropped into the watched folder and indexed, one client sends {@code GET /api/v1/search}
 *       back to back (three in four texts new, so the service embeds them; filters varied): the
 *       latency's median and p99 (targets 20 and 60 ms), and, for comparison, the same with the
 *       daemon idle;</li>
 *   <li>{@code asset-index search TEXT} through the launcher while the daemon runs: the wall
 *       time of the first run (which writes the class-data archive) and the median of the next
 *       ten (target 0.5 s), the same without the archive (ASSET_INDEX_NO_CDS=1), and with
 *       {@code --local} (no daemon);</li>
 *   <li>{@code --clients} (50) clients for {@code --seconds} (60) s, each a loop of one request
 *       then a pause of 0 to {@code --think-ms} (400) ms at random (a person paging through
 *       results, a script polling), mixing search 25%, list 35%, show 25%, thumbnail 15%:
 *       errors (target 0), the latency's median and p99 (target 100 ms), requests per second,
 *       and the daemon's peak resident memory (VmHWM, target 350 MB).</li>
 * </ol>
 *
 * Run: {@code mvn -q -DskipTests package test-compile && java -cp
 * target/test-classes:target/asset-index.jar io.assetindex.bench.ServiceBenchmark [--assets
 * 100000] [--burst 300] [--clients 50] [--seconds 60] [--think-ms 400]}. Needs about 1 GB of
 * disk in the temp folder (deleted at the end). {@code BENCH_JAVA_OPTS} adds JVM options to the
 * daemon's (e.g. {@code -Xlog:gc:file=/tmp/gc.log} to see its collections).
 */
public final class ServiceBenchmark {
    private static final int DIMENSION = 384;
    private static final Path LAUNCHER = Path.of("packaging/asset-index").toAbsolutePath();
    private static final List<String> QUERIES = List.of("drone shot over the coast", "a beach at sunset",
            "invoice scan", "portrait of a woman", "city at night", "piano music", "voice over about pricing",
            "snow on mountains", "a red car", "children playing", "forest path", "interview in an office",
            "waves crashing", "birthday party", "food on a plate", "aerial view of a harbour");
    private static final List<String> FILTERS = List.of("", "&type=image", "&type=video", "&min_width=1000",
            "&type=audio&min_duration=30", "&path=shoot_1");

    private final Random random = new Random(42);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private URI api;

    private ServiceBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new java.util.HashMap<>(Map.of("--assets", 100_000, "--burst", 300,
                "--clients", 50, "--seconds", 60, "--think-ms", 400));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + options.keySet());
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        new ServiceBenchmark().run(options.get("--assets"), options.get("--burst"), options.get("--clients"),
                options.get("--seconds"), options.get("--think-ms"));
    }

    private void run(int assets, int burst, int clients, int seconds, int thinkMs) throws Exception {
        Path workspace = Files.createTempDirectory("asset-index-service-bench");
        System.out.printf("asset-index service benchmark (%d cores, Java %s)%n", Runtime.getRuntime()
                .availableProcessors(), Runtime.version());
        try {
            Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\ndebounce_seconds: 0.5\n"
                    + "server:\n  port: 0\n");
            TestMedia.jpeg(workspace.resolve("raw_assets/seed.jpg"), 640, 480, 1);
            Measure.Run scan = Measure.run(workspace, List.of(LAUNCHER.toString(), "scan"));
            if (scan.exitCode() != 0) {
                throw new IllegalStateException("scan failed");
            }
            long start = System.nanoTime();
            fill(workspace.resolve(".asset_index/index.db"), assets);
            System.out.printf("index: %,d assets x %d written in %.1f s%n", assets, DIMENSION,
                    (System.nanoTime() - start) / 1e9);

            Path log = workspace.resolve("watcher.out");
            String javaOptions = System.getenv().getOrDefault("BENCH_JAVA_OPTS", "");
            try (LauncherWatcher watcher = LauncherWatcher.start(workspace, javaOptions, log)) {
                start = System.nanoTime();
                watcher.awaitWatching(workspace, 300);
                api = URI.create(Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json").toFile())
                        .at("/api/url").asText());
                System.out.printf("watch: watching and serving %s after %.1f s%n", api, (System.nanoTime() - start) / 1e9);

                latency(workspace, burst, watcher);
                settle(workspace);
                cli(workspace);
                load(clients, seconds, thinkMs, watcher);
                System.out.printf("%nwatcher stopped with exit code %d%n", watcher.stop());
            }
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }

    // 1. The index

    /** Writes {@code count} assets as the indexer would (one transaction), under a watch path of their own. */
    static void fill(Path database, int count) throws Exception {
        Random vectors = new Random(7);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            io.assetindex.store.SearchWords.register(c); // the keyword index's triggers call it
            c.setAutoCommit(false);
            try (PreparedStatement asset = c.prepareStatement("INSERT INTO assets (id, file_name, file_path,"
                    + " source_root, job_id, media_type, size_bytes, mtime, width, height, duration_seconds, fps,"
                    + " has_audio, style, summary, tags_json, mood_json, raw_json, indexed_at) VALUES (?, ?, ?, 'archive',"
                    + " ?, ?, ?, 1700000000, ?, ?, ?, ?, ?, 'documentary', ?, ?, '[\"calm\"]', '{}', ?)");
                    PreparedStatement path = c.prepareStatement("INSERT INTO asset_paths (asset_id, source_root,"
                            + " rel_path, abs_path, job_id, size_bytes, mtime_ns, first_seen_at, last_seen_at) VALUES (?,"
                            + " 'archive', ?, ?, ?, ?, 0, ?, ?)");
                    PreparedStatement vector = c.prepareStatement("INSERT INTO assets_vec (id, embedding) VALUES (?, ?)")) {
                for (int n = 0; n < count; n++) {
                    String id = String.format("%064x", n + 1);
                    String type = n % 10 < 7 ? "image" : n % 10 < 9 ? "video" : "audio";
                    String name = String.format("shoot_%d/%s_%06d.%s", n % 500, type, n,
                            type.equals("image") ? "jpg" : type.equals("video") ? "mp4" : "wav");
                    String when = String.format("2026-%02d-%02dT10:00:00.000Z", 1 + n % 12, 1 + n % 28);
                    asset.setString(1, id);
                    asset.setString(2, name.substring(name.indexOf('/') + 1));
                    asset.setString(3, "/archive/" + name);
                    asset.setString(4, n % 3 == 0 ? "JOB-" + (n % 40) : null);
                    asset.setString(5, type);
                    asset.setLong(6, 100_000 + n * 37L % 5_000_000);
                    setOrNull(asset, 7, type.equals("audio") ? null : 640 + n % 4 * 640);
                    setOrNull(asset, 8, type.equals("audio") ? null : 480 + n % 4 * 360);
                    setOrNull(asset, 9, type.equals("image") ? null : 5.0 + n % 120);
                    setOrNull(asset, 10, type.equals("video") ? 25.0 : null);
                    setOrNull(asset, 11, type.equals("image") ? null : 1);
                    asset.setString(12, "A " + type + " from shoot " + (n % 500) + " of the archive");
                    asset.setString(13, "[\"archive\", \"shoot " + (n % 500) + "\"]");
                    asset.setString(14, when);
                    asset.addBatch();
                    path.setString(1, id);
                    path.setString(2, name);
                    path.setString(3, "/archive/" + name);
                    path.setString(4, n % 3 == 0 ? "JOB-" + (n % 40) : null);
                    path.setLong(5, 100_000 + n * 37L % 5_000_000);
                    path.setString(6, when);
                    path.setString(7, when);
                    path.addBatch();
                    vector.setString(1, id);
                    vector.setBytes(2, Vectors.pack(unit(vectors)));
                    vector.addBatch();
                    if (n % 5_000 == 4_999) {
                        asset.executeBatch();
                        path.executeBatch();
                        vector.executeBatch();
                    }
                }
                asset.executeBatch();
                path.executeBatch();
                vector.executeBatch();
            }
            c.commit();
        }
    }

    private static void setOrNull(PreparedStatement statement, int index, Number value) throws Exception {
        if (value == null) {
            statement.setNull(index, java.sql.Types.NULL);
        } else {
            statement.setObject(index, value);
        }
    }

    private static float[] unit(Random random) {
        float[] vector = new float[DIMENSION];
        double norm = 0;
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = (float) random.nextGaussian();
            norm += vector[i] * vector[i];
        }
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    // 2. Search latency while a burst is indexed

    private void latency(Path workspace, int burst, LauncherWatcher watcher) throws Exception {
        List<Double> idle = searches(Duration.ofSeconds(10), null);
        long processedBefore = processed(workspace);
        Thread dropper = new Thread(() -> {
            try {
                for (int i = 0; i < burst; i++) {
                    TestMedia.jpeg(workspace.resolve(String.format("raw_assets/burst/photo_%04d.jpg", i)), 1024, 768,
                            1000 + i);
                }
            } catch (RuntimeException e) {
                e.printStackTrace();
            }
        }, "dropper");
        long start = System.nanoTime();
        dropper.start();
        List<Double> busy = searches(Duration.ofMinutes(10), () -> processed(workspace) >= processedBefore + burst);
        dropper.join();
        double indexed = (System.nanoTime() - start) / 1e9;
        System.out.printf("%nsearch latency (one client, back to back), GET /api/v1/search%n");
        System.out.printf("  daemon idle:                    %s%n", summary(idle));
        System.out.printf("  while indexing %d new photos:  %s (target p50 <= 20 ms %s, p99 <= 60 ms %s);"
                + " the burst was indexed in %.1f s%n", burst, summary(busy), Measure.verdict(percentile(busy, 50) <= 20),
                Measure.verdict(percentile(busy, 99) <= 60), indexed);
        System.out.printf("  daemon peak RSS so far: %.0f MiB%n", watcher.peakRssMib());
    }

    /** Searches one after another until {@code done} (at least 200 of them) or {@code limit}; latencies in ms. */
    private List<Double> searches(Duration limit, LauncherWatcher.Check done) throws Exception {
        List<Double> latencies = new ArrayList<>();
        long end = System.nanoTime() + limit.toNanos();
        int warmUp = 20;
        while (System.nanoTime() < end) {
            long start = System.nanoTime();
            HttpResponse<byte[]> response = get(searchPath());
            double ms = (System.nanoTime() - start) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("search answered " + response.statusCode() + ": "
                        + new String(response.body(), StandardCharsets.UTF_8));
            }
            if (warmUp-- <= 0) {
                latencies.add(ms);
            }
            if (done == null ? latencies.size() >= 300 : latencies.size() >= 200 && done.done()) {
                break;
            }
        }
        return latencies;
    }

    /**
     * A search as people make them: mostly a text not asked before (the service embeds it: a few
     * milliseconds of the model), sometimes one asked again (paging, another filter).
     */
    private String searchPath() {
        String text = QUERIES.get(random.nextInt(QUERIES.size()));
        if (random.nextInt(4) != 0) {
            text += " " + random.nextInt(1_000_000);
        }
        return "/api/v1/search?q=" + URLEncoder.encode(text, StandardCharsets.UTF_8)
                + FILTERS.get(random.nextInt(FILTERS.size())) + "&limit=20";
    }

    private static long processed(Path workspace) throws IOException {
        return Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json").toFile()).path("processed_count")
                .asLong();
    }

    /** Waits until the daemon has nothing left to do (queue empty, no background pass), so the next phase runs alone. */
    private static void settle(Path workspace) throws Exception {
        LauncherWatcher.waitFor(() -> {
            JsonNode state = Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json").toFile());
            return state.path("queue_depth").asInt() == 0 && state.path("reanalysis").isNull();
        }, 600, 200);
        Thread.sleep(2_000);
    }

    // 3. The CLI with the daemon running

    private void cli(Path workspace) throws Exception {
        Path cache = Files.createDirectories(workspace.resolve("cache-home"));
        List<String> command = List.of(LAUNCHER.toString(), "search", "drone shot over the coast");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
        double first = wall(workspace, command, env);
        List<Double> withArchive = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            withArchive.add(wall(workspace, command, env));
        }
        List<Double> without = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            without.add(wall(workspace, command, Map.of("XDG_CACHE_HOME", cache.toString(), "ASSET_INDEX_NO_CDS", "1")));
        }
        List<String> local = new ArrayList<>(command);
        local.add("--local");
        List<Double> inProcess = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            inProcess.add(wall(workspace, local, env));
        }
        System.out.printf("%nasset-index search TEXT (launcher), wall time%n");
        System.out.printf("  asking the daemon, first run (writes the class archive): %.2f s%n", first);
        System.out.printf("  asking the daemon, with the archive: median %.2f s of 10 (target <= 0.5 s) %s%n",
                median(withArchive), Measure.verdict(median(withArchive) <= 0.5));
        System.out.printf("  asking the daemon, without the archive: median %.2f s of 5%n", median(without));
        System.out.printf("  --local (loads the model and %s vectors itself): median %.2f s of 3%n", "every",
                median(inProcess));
    }

    private static double wall(Path workspace, List<String> command, Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        long start = System.nanoTime();
        int code = builder.start().waitFor();
        if (code != 0) {
            throw new IllegalStateException(command + " exited with " + code);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    // 4. Many clients

    private void load(int clients, int seconds, int thinkMs, LauncherWatcher watcher) throws Exception {
        List<String> ids = new ArrayList<>();
        get("/api/v1/assets?limit=2000&sort=name").statusCode();
        JsonNode archive = Json.MAPPER.readTree(get("/api/v1/assets?limit=2000").body());
        archive.path("results").forEach(result -> ids.add(result.path("id").asText()));
        List<String> photos = new ArrayList<>();
        Json.MAPPER.readTree(get("/api/v1/assets?root=raw_assets&type=image&limit=1000").body()).path("results")
                .forEach(result -> photos.add(result.path("id").asText()));
        List<String> sorts = List.of("newest", "oldest", "captured", "name", "size", "duration");

        Map<String, List<Double>> byKind = new ConcurrentHashMap<>();
        AtomicLong errors = new AtomicLong();
        List<String> firstErrors = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch finished = new CountDownLatch(clients);
        for (int client = 0; client < clients; client++) {
            Random own = new Random(100 + client);
            Thread thread = new Thread(() -> {
                List<Double> mine = new ArrayList<>();
                try {
                    while (System.nanoTime() < end) {
                        int pick = own.nextInt(100);
                        String kind;
                        String path;
                        if (pick < 25) {
                            kind = "search";
                            path = searchPath();
                        } else if (pick < 60) {
                            kind = "list";
                            path = "/api/v1/assets?sort=" + sorts.get(own.nextInt(sorts.size())) + "&limit=50&offset="
                                    + own.nextInt(2_000) + FILTERS.get(own.nextInt(FILTERS.size()));
                        } else if (pick < 85) {
                            kind = "show";
                            path = "/api/v1/assets/" + ids.get(own.nextInt(ids.size()));
                        } else {
                            kind = "thumbnail";
                            path = "/api/v1/assets/" + photos.get(own.nextInt(photos.size())) + "/thumbnail";
                        }
                        long start = System.nanoTime();
                        try {
                            HttpResponse<byte[]> response = get(path);
                            if (response.statusCode() != 200) {
                                errors.incrementAndGet();
                                if (firstErrors.size() < 5) {
                                    firstErrors.add(path + " -> " + response.statusCode());
                                }
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            if (firstErrors.size() < 5) {
                                firstErrors.add(path + " -> " + e);
                            }
                        }
                        double ms = (System.nanoTime() - start) / 1e6;
                        byKind.computeIfAbsent(kind, k -> Collections.synchronizedList(new ArrayList<>())).add(ms);
                        mine.add(ms);
                        if (thinkMs > 0) {
                            Thread.sleep(own.nextInt(thinkMs + 1));
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    finished.countDown();
                }
            }, "client-" + client);
            thread.start();
        }
        finished.await();
        List<Double> all = new ArrayList<>();
        byKind.values().forEach(all::addAll);
        System.out.printf("%n%d clients for %d s (pause 0-%d ms between requests): %,d requests, %.0f per second%n",
                clients, seconds, thinkMs, all.size(), all.size() / (double) seconds);
        for (String kind : List.of("search", "list", "show", "thumbnail")) {
            System.out.printf("  %-9s %s%n", kind, summary(byKind.getOrDefault(kind, List.of())));
        }
        double rss = watcher.peakRssMib();
        System.out.printf("  all       %s (target p99 <= 100 ms %s)%n", summary(all), Measure.verdict(percentile(all,
                99) <= 100));
        System.out.printf("  errors: %d (target 0) %s%s%n", errors.get(), Measure.verdict(errors.get() == 0),
                firstErrors.isEmpty() ? "" : " e.g. " + firstErrors);
        System.out.printf("  daemon peak RSS: %.0f MiB (target <= 350 MiB) %s%n", rss, Measure.verdict(rss <= 350));
    }

    // Helpers

    private HttpResponse<byte[]> get(String path) throws IOException {
        try {
            return http.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static String summary(List<Double> latencies) {
        if (latencies.isEmpty()) {
            return "none";
        }
        return String.format(Locale.ROOT, "n=%,d median %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", latencies.size(),
                percentile(latencies, 50), percentile(latencies, 90), percentile(latencies, 99),
                percentile(latencies, 100));
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double median(List<Double> values) {
        return percentile(values, 50);
    }
}
