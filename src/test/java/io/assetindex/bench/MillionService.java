package io.assetindex.bench;

import io.assetindex.util.Json;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon on the data set, through the launcher, as a service manager runs it: its start on the
 * unchanged tree against {@code find -printf} on the same tree, its memory, and what people ask it.
 *
 * <ul>
 *   <li>{@code find ROOT -type f -printf '%s %T@\n'} over both watch paths, warm cache, median of
 *       {@code runs};</li>
 *   <li>{@code watch} from its start to {@code watching} in state.json ({@code runs} starts, each
 *       stopped with SIGTERM; the first after the data set was made also refreshes every path's
 *       last_seen_at, as a daemon that was down for more than an hour does);</li>
 *   <li>with the last start still running: {@code GET /api/v1/search} in semantic and hybrid mode
 *       (every text new, so the daemon embeds it; the modes alternate, after 100 of each as warm-up;
 *       medians of {@code searches}), {@code GET /api/v1/assets?limit=50} (the first page: the first request works the total and facets
 *       out, the next ones find them remembered), {@code asset-index status} through the launcher
 *       (its JVM's start included), and the daemon's resident memory (VmRSS, VmHWM).</li>
 * </ul>
 */
final class MillionService {
    static final List<String> WORDS = List.of("wedding", "drone", "coast", "interview", "concert", "beach",
            "portrait", "harbour", "snow", "market", "night", "forest", "studio", "festival", "lake", "crowd", "boat",
            "sunset", "street", "family");

    /** What was measured; times in milliseconds unless named otherwise. */
    record Figures(double findSeconds, List<Double> startSeconds, double semanticMs, double hybridMs,
            double listFirstMs, double listRememberedMs, double listVideoFirstMs, double statusSeconds,
            double rssMib, double peakRssMib, long files) {
        double startRatio() {
            return Measure.median(startSeconds.stream().mapToDouble(Double::doubleValue).toArray()) / findSeconds;
        }
    }

    private final MillionDataSet data;
    private final Path launcher;
    private final ApiTimer timer = new ApiTimer();

    MillionService(MillionDataSet data, Path launcher) {
        this.data = data;
        this.launcher = launcher;
    }

    Figures run(int runs, int searches) throws Exception {
        Path workspace = data.workspace();
        double[] finds = new double[runs];
        long files = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process find = new ProcessBuilder("find", workspace.resolve("raw_assets").toString(),
                    workspace.resolve("jobs").toString(), "-type", "f", "-printf", "%s %T@\\n")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(find.getInputStream()))) {
                files = lines.lines().count();
            }
            find.waitFor();
            finds[i] = (System.nanoTime() - start) / 1e9;
        }
        double findSeconds = Measure.median(finds);
        System.out.printf("  find -printf: %,d files in %.2f s (median of %d)%n", files, findSeconds, runs);
        List<Double> starts = new ArrayList<>();
        Path log = workspace.getParent().resolve("watch.out");
        for (int i = 0; i < runs; i++) {
            LauncherWatcher watcher = LauncherWatcher.start(workspace, "", log);
            long start = System.nanoTime();
            watcher.awaitWatching(workspace, 1800);
            starts.add((System.nanoTime() - start) / 1e9);
            System.out.printf("  watch: watching after %.1f s, peak RSS %.0f MiB%n", starts.get(i), watcher.peakRssMib());
            if (i < runs - 1) {
                watcher.stop();
                continue;
            }
            try (watcher) {
                return measureRunning(watcher, findSeconds, starts, searches, files);
            }
        }
        throw new IllegalArgumentException("runs must be at least 1");
    }

    private Figures measureRunning(LauncherWatcher watcher, double findSeconds, List<Double> starts, int searches,
            long files) throws Exception {
        Path workspace = data.workspace();
        URI api = URI.create(Json.MAPPER.readTree(workspace.resolve(".asset_index/state.json").toFile())
                .at("/api/url").asText());
        System.out.printf("  the daemon's work after its start (background pass, watches) done %.0f s after watching%n",
                quiet(watcher.pid()));
        double[] medians = searches(api, searches);
        double semantic = medians[0];
        double hybrid = medians[1];
        System.out.printf("  GET /api/v1/search top-10, median of %d each (after %d of warm-up): semantic %.1f ms,"
                + " hybrid %.1f ms%n", searches, WARM_UP, semantic, hybrid);
        double listFirst = timer.get(api, "/api/v1/assets?limit=50");
        double[] remembered = new double[10];
        for (int i = 0; i < remembered.length; i++) {
            remembered[i] = timer.get(api, "/api/v1/assets?limit=50");
        }
        double videoFirst = timer.get(api, "/api/v1/assets?limit=50&type=video");
        System.out.printf("  GET /api/v1/assets?limit=50: first %.0f ms, then %.1f ms (median of 10); type=video first"
                + " %.0f ms%n", listFirst, Measure.median(remembered), videoFirst);
        double[] status = new double[5];
        for (int i = 0; i < status.length; i++) {
            status[i] = Measure.run(workspace, List.of(launcher.toString(), "status")).wallSeconds();
        }
        System.out.printf("  asset-index status with the daemon running: %.2f s (median of 5)%n", Measure.median(status));
        double rss = watcher.rssMib();
        double peak = watcher.peakRssMib();
        System.out.printf("  daemon resident memory: %.0f MiB now, %.0f MiB at its peak%n", rss, peak);
        return new Figures(findSeconds, starts, semantic, hybrid, listFirst, Measure.median(remembered), videoFirst,
                Measure.median(status), rss, peak, files);
    }

    /**
     * Waits (at most 3 minutes) until the daemon uses less than a tenth of a core over 2 s: after
     * `watching` its background pass and the rest of its start keep both cores busy for about
     * 25 s at a million, and searches measured meanwhile would measure that. Returns the seconds waited.
     */
    private static double quiet(long pid) throws InterruptedException {
        long start = System.nanoTime();
        double cpu = ProcessCpu.seconds(pid);
        while (System.nanoTime() - start < TimeUnit.MINUTES.toNanos(3)) {
            Thread.sleep(2_000);
            double now = ProcessCpu.seconds(pid);
            if (now - cpu < 0.2) {
                break;
            }
            cpu = now;
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * Searches of each mode before the measured ones: the scan's loop is compiled to its final form
     * only after a few hundred searches (semantic p50 61 ms over the first 100, 49 ms after 300).
     */
    private static final int WARM_UP = 100;

    /**
     * Median latencies of semantic and hybrid searches with texts never asked before, the two
     * modes alternating (so that neither is measured while the other warms up the service), after
     * {@link #WARM_UP} of each.
     */
    private double[] searches(URI api, int count) throws Exception {
        List<String> modes = List.of("semantic", "hybrid");
        double[][] ms = new double[modes.size()][count];
        for (int i = -WARM_UP; i < count; i++) {
            for (int m = 0; m < modes.size(); m++) {
                String mode = modes.get(m);
                String text = WORDS.get(Math.floorMod(i * 7 + mode.length(), WORDS.size())) + " "
                        + WORDS.get(Math.floorMod(i * 3 + 1, WORDS.size())) + " " + mode + " " + i;
                double took = timer.get(api, "/api/v1/search?limit=10&mode=" + mode + "&q="
                        + URLEncoder.encode(text, StandardCharsets.UTF_8));
                if (i >= 0) {
                    ms[m][i] = took;
                }
            }
        }
        return new double[] {Measure.median(ms[0]), Measure.median(ms[1])};
    }
}
