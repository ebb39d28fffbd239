package io.assetindex.bench;

import io.assetindex.testing.Browser;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The web page against a daemon holding N assets (default 100,000), in Debian's headless
 * Chromium, as a person opens it: the start page until its grid is shown (cold, then warm), and
 * grids of 50 (browsing pages and searches never seen before, so every thumbnail is fetched)
 * until every thumbnail has loaded; plus the page's weight without thumbnails.
 */
public final class WebBenchmark {
    private static final int THUMBNAILS = 64;
    private static final List<String> QUERIES = List.of("drone shot over the coast", "a beach at sunset",
            "people talking in an office", "calm piano music", "city street at night", "interview with a farmer",
            "mountains in fog", "children playing football", "old car on a road", "a cat asleep");

    private WebBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, Integer> options = new java.util.HashMap<>(Map.of("--assets", 100_000, "--runs", 10));
        for (int i = 0; i < args.length; i += 2) {
            if (!options.containsKey(args[i]) || i + 1 >= args.length) {
                throw new IllegalArgumentException("unknown option " + args[i] + "; options: " + options.keySet());
            }
            options.put(args[i], Integer.parseInt(args[i + 1]));
        }
        run(options.get("--assets"), options.get("--runs"));
    }

    private static void run(int assets, int runs) throws Exception {
        Path workspace = Files.createTempDirectory("asset-index-web-bench");
        System.out.printf("asset-index web page benchmark (%d cores, Java %s, %s)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version(), Browser.CHROMIUM);
        try {
            Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\nserver:\n  port: 0\n");
            TestMedia.jpeg(workspace.resolve("raw_assets/seed.jpg"), 640, 480, 1);
            if (Measure.run(workspace, List.of(Path.of("packaging/asset-index").toAbsolutePath().toString(), "scan"))
                    .exitCode() != 0) {
                throw new IllegalStateException("scan failed");
            }
            Path database = workspace.resolve(".asset_index/index.db");
            ServiceBenchmark.fill(database, assets);
            thumbnails(workspace, database, assets);
            System.out.printf("index: %,d assets with thumbnails of 256 x 192%n", assets);

            try (LauncherWatcher watcher = LauncherWatcher.start(workspace, "", workspace.resolve("watcher.out"))) {
                watcher.awaitWatching(workspace, 300);
                String base = io.assetindex.util.Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json")
                        .toFile()).at("/api/url").asText();
                measure(base, runs);
                System.out.printf("daemon peak RSS: %.0f MiB%n", watcher.peakRssMib());
                watcher.stop();
            }
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }

    /** Every asset gets one of {@link #THUMBNAILS} real thumbnail files, as the thumbnail analyzer records them. */
    private static void thumbnails(Path workspace, Path database, int assets) throws Exception {
        Path folder = workspace.resolve(".asset_index/thumbs/bench");
        Files.createDirectories(folder);
        List<String> results = new ArrayList<>();
        for (int i = 0; i < THUMBNAILS; i++) {
            byte[] jpeg = TestMedia.jpegBytes(256, 192, 100 + i);
            Files.write(folder.resolve("t" + i + ".jpg"), jpeg);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jpeg));
            results.add("{\"path\": \"thumbs/bench/t" + i + ".jpg\", \"sha256\": \"" + hash + "\", \"bytes\": "
                    + jpeg.length + ", \"thumb_width\": 256, \"thumb_height\": 192}");
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database);
                PreparedStatement insert = c.prepareStatement("INSERT INTO analysis_cache (asset_id, analyzer,"
                        + " config_hash, result_json, duration_ms, created_at) VALUES (?, 'thumbnail', 'bench', ?, 1,"
                        + " '2026-01-01T00:00:00.000Z')")) {
            c.setAutoCommit(false);
            for (int n = 0; n < assets; n++) {
                insert.setString(1, String.format("%064x", n + 1));
                insert.setString(2, results.get(n % THUMBNAILS));
                insert.addBatch();
                if (n % 5_000 == 4_999) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
            c.commit();
        }
    }

    private static void measure(String base, int runs) {
        List<Double> coldStart = new ArrayList<>();
        List<Double> warmStart = new ArrayList<>();
        List<Double> browsing = new ArrayList<>();
        List<Double> searching = new ArrayList<>();
        long weight = 0;
        for (int run = 0; run < runs; run++) {
            try (Browser browser = Browser.open(1280, 900)) {
                browser.driver().get(base + "/");
                coldStart.add(resultsShown(browser));
                weight = weight(browser);
                browser.driver().get(base + "/");
                warmStart.add(resultsShown(browser));
                browser.driver().get(base + "/?page=" + (2 + run));
                browsing.add(allThumbnails(browser));
                browser.driver().get(base + "/?q=" + java.net.URLEncoder.encode(QUERIES.get(run % QUERIES.size()),
                        java.nio.charset.StandardCharsets.UTF_8) + "&type=image");
                searching.add(allThumbnails(browser));
            }
        }
        System.out.printf(Locale.ROOT, "start page, grid shown (new browser): median %.0f ms, max %.0f ms of %d"
                + " (target <= 300 ms) %s%n", median(coldStart), max(coldStart), runs, median(coldStart) <= 300 ? "PASS"
                : "FAIL");
        System.out.printf(Locale.ROOT, "start page, grid shown (visited before): median %.0f ms, max %.0f ms%n",
                median(warmStart), max(warmStart));
        System.out.printf(Locale.ROOT, "a page of 50 while browsing, every thumbnail loaded: median %.0f ms, max %.0f ms"
                + " (target <= 1000 ms) %s%n", median(browsing), max(browsing), median(browsing) <= 1000 ? "PASS" : "FAIL");
        System.out.printf(Locale.ROOT, "50 search results, every thumbnail loaded: median %.0f ms, max %.0f ms"
                + " (target <= 1000 ms) %s%n", median(searching), max(searching), median(searching) <= 1000 ? "PASS"
                : "FAIL");
        System.out.printf(Locale.ROOT, "page weight without thumbnails: %,d bytes (target <= 200 KB) %s%n", weight,
                weight <= 200_000 ? "PASS" : "FAIL");
    }

    /** Milliseconds from the navigation's start until the grid was on the page. */
    private static double resultsShown(Browser browser) {
        return browser.until(30, d -> browser.<Number>script(
                "const m = performance.getEntriesByName('results-shown'); return m.length ? m[0].startTime : null;"))
                .doubleValue();
    }

    /** Milliseconds from the navigation's start until the last of the grid's thumbnails arrived (all decoded). */
    private static double allThumbnails(Browser browser) {
        browser.until(30, d -> browser.<Boolean>script("""
                const cards = document.querySelectorAll('#results a.card');
                const images = [...document.querySelectorAll('#results a.card:not([data-type=audio]) img')];
                return cards.length === 50 && images.length > 0
                    && images.length === document.querySelectorAll('#results a.card:not([data-type=audio])').length
                    && images.every(i => i.complete && i.naturalWidth > 0);"""));
        return browser.<Number>script("""
                return Math.max(...performance.getEntriesByType('resource')
                    .filter(e => e.name.includes('/thumbnail')).map(e => e.responseEnd));""").doubleValue();
    }

    private static long weight(Browser browser) {
        return browser.<Number>script("""
                const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
                return entries.filter(e => !/\\/api\\/v1\\/assets\\/[^/]+\\/(thumbnail|file)/.test(e.name))
                    .reduce((sum, e) => sum + e.encodedBodySize, 0);""").longValue();
    }

    private static double median(List<Double> values) {
        return ServiceBenchmark.percentile(values, 50);
    }

    private static double max(List<Double> values) {
        return ServiceBenchmark.percentile(values, 100);
    }
}
