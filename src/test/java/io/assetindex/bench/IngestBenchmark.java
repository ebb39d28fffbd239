package io.assetindex.bench;

import io.assetindex.testing.TestMedia;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The ingest-rate benchmark of issue 16: new files indexed per second by a first scan, end to
 * end with the local embedding model, through the launcher's {@code scan} on fresh workspaces
 * (default settings: one worker per core; probe, integrity, thumbnail and embedding for each file):
 *
 * <ol>
 *   <li>N tiny distinct images (32x24 JPEGs; each holds its number in a comment, so no two are
 *       equal), target at least 800 files/s;</li>
 *   <li>M new 1024x768 JPEG photos, target at least 200 files/s.</li>
 * </ol>
 *
 * The rate is files divided by the scan's own time, the median of the runs, and the CPU time per file
 * of each stage is shown with its share of the process's CPU time (see {@link FirstScans}).
 * {@code ASSET_INDEX_JAR} picks another jar for "this build"; {@code --compare JAR} runs another build
 * too, its runs alternating with this one's (an older build, on a machine others use). Run:
 * {@code mvn -q -DskipTests package test-compile && java -cp target/test-classes:target/asset-index.jar
 * io.assetindex.bench.IngestBenchmark [--tiny 20000] [--photos 600] [--runs 3] [--compare JAR]}.
 */
public final class IngestBenchmark {

    public static void main(String[] args) throws Exception {
        int tiny = 20_000;
        int photos = 600;
        int runs = 3;
        List<FirstScans.Build> builds = new ArrayList<>(List.of(new FirstScans.Build("this build",
                System.getenv().containsKey("ASSET_INDEX_JAR") ? Path.of(System.getenv("ASSET_INDEX_JAR")) : null)));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--tiny" -> tiny = Integer.parseInt(args[++i]);
                case "--photos" -> photos = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--compare" -> builds.add(new FirstScans.Build("compared", Path.of(args[++i])));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createTempDirectory("asset-index-ingest-bench");
        try {
            System.out.printf("asset-index ingest benchmark in %s (%d cores, Java %s; %s)%n%n", work,
                    Runtime.getRuntime().availableProcessors(), Runtime.version(), String.join(", ", builds.stream()
                            .map(build -> build.name() + " " + (build.jar() == null ? "target/asset-index.jar" : build.jar()))
                            .toList()));
            if (tiny > 0) {
                Path source = Files.createDirectories(work.resolve("tiny"));
                for (int i = 0; i < tiny; i++) {
                    Path folder = Files.createDirectories(source.resolve(String.format("d%03d", i / 1000)));
                    Files.write(folder.resolve("img" + i + ".jpg"), numbered(TestMedia.jpegBytes(32, 24, i), i));
                }
                FirstScans.measure(work, "tiny distinct images (32x24 JPEG)", source, tiny, runs, 800, builds);
            }
            if (photos > 0) {
                Path source = Files.createDirectories(work.resolve("photos"));
                for (int i = 0; i < photos; i++) {
                    TestMedia.jpeg(source.resolve("photo" + i + ".jpg"), 1024, 768, i);
                }
                FirstScans.measure(work, "JPEG photos (1024x768)", source, photos, runs, 200, builds);
            }
        } finally {
            LauncherWatcher.deleteTree(work);
        }
    }

    /** The JPEG with a comment segment holding {@code number} right after its start marker. */
    static byte[] numbered(byte[] jpeg, int number) {
        byte[] text = ("bench " + number).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream(jpeg.length + text.length + 4);
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xFE);
        out.write((text.length + 2) >> 8);
        out.write((text.length + 2) & 0xFF);
        out.write(text, 0, text.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }
}
