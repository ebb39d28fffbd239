package io.assetindex.bench;

import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.TestMedia;
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
            FirstScans.measure(work, "720p clips (3 s, H.264 + AAC)", clipSource, clips, RUNS, 10,
                    List.of(new FirstScans.Build("this build", null)));
            FirstScans.measure(work, "JPEG photos (1024x768)", photoSource, photos, RUNS, 100,
                    List.of(new FirstScans.Build("this build", null)));
        } finally {
            try (var paths = Files.walk(work)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
