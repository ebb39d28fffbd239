package io.assetindex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * The media-analysis benchmark: new files indexed per second with probe, integrity check and
 * thumbnail, through the launcher's {@code scan} (default settings: one worker per core).
 *
 * <ol>
 *   <li>N short 720p H.264+AAC clips (3 s each, made with the bundled ffmpeg);</li>
 *   <li>M small JPEG photos (1024x768).</li>
 * </ol>
 *
 * The rate is files divided by the scan's own time (from {@code scan --json}: walking,
 * hashing, analysis and the database, without JVM start-up), the median of 3 runs on fresh
 * workspaces; the wall time with JVM start is shown too. Run: {@code mvn -q -DskipTests package
 * test-compile && java -cp target/test-classes:target/asset-index.jar io.assetindex.bench.MediaBenchmark
 * [--clips 60] [--photos 600]}.
 */
public final class MediaBenchmark {
    private static final int RUNS = 3;

    public static void main(String[] args) throws Exception {
        int clips = 60;
        int photos = 600;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--clips" -> clips = Integer.parseInt(args[++i]);
                case "--photos" -> photos = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("asset-index-media-bench");
        try {
            System.out.printf("asset-index media benchmark in %s (%d cores, Java %s)%n%n", work,
                    Runtime.getRuntime().availableProcessors(), Runtime.version());
            Path clipSource = Files.createDirectories(work.resolve("clips"));
            for (int i = 0; i < clips; i++) {
                Ffmpeg.clip(clipSource.resolve("clip" + i + ".mp4"), 1280, 720, 3.0, true, i);
            }
            Path photoSource = Files.createDirectories(work.resolve("photos"));
            for (int i = 0; i < photos; i++) {
                TestMedia.jpeg(photoSource.resolve("photo" + i + ".jpg"), 1024, 768, i);
            }
            measure(work, "720p clips (3 s, H.264 + AAC)", clipSource, clips, 10);
            measure(work, "JPEG photos (1024x768)", photoSource, photos, 100);
        } finally {
            try (var paths = Files.walk(work)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    private static void measure(Path work, String what, Path source, int files, double target) throws Exception {
        double[] rates = new double[RUNS];
        double[] walls = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            Path workspace = Files.createDirectories(work.resolve("ws-" + source.getFileName() + "-" + run));
            Files.createSymbolicLink(workspace.resolve("raw_assets"), source);
            Path out = workspace.resolve("scan.json");
            Measure.Run scan = Measure.run(workspace, List.of("sh", "-c",
                    Path.of("packaging/asset-index").toAbsolutePath() + " scan --json > " + out));
            JsonNode summary = Json.read(Files.readString(out, StandardCharsets.UTF_8));
            if (summary.get("indexed").asInt() != files) {
                throw new IllegalStateException("expected " + files + " indexed: " + summary);
            }
            rates[run] = files / summary.get("seconds").asDouble();
            walls[run] = scan.wallSeconds();
        }
        double rate = Measure.median(rates);
        System.out.printf("%d new %s: %.1f files/s (median of %d; scan time %.2f s, wall with JVM start %.2f s)"
                + " (target >= %.0f/s) %s%n", files, what, rate, RUNS, files / rate, Measure.median(walls), target,
                Measure.verdict(rate >= target));
    }
}
