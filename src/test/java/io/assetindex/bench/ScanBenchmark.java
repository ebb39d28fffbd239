package io.assetindex.bench;

import io.assetindex.index.Sha256Hasher;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The scan benchmark of the foundation issue, measured side by side with the reference tools
 * in one run on this machine:
 *
 * <ol>
 *   <li>hashing one 1 GiB file: our SHA-256 against {@code openssl dgst -sha256} (median of 5), and
 *       a first scan of that file through the launcher, JVM start included;</li>
 *   <li>a first scan of a tree of 64 files of 16 MiB: throughput and cores used (hashing in parallel);</li>
 *   <li>a first scan of N tiny WAV files through the launcher: wall time, cores used, peak RSS;</li>
 *   <li>an unchanged re-scan of the same tree (JVM start included) against
 *       {@code find ROOT -type f -printf '%s %T@\n'} (median of 5 each);</li>
 *   <li>peak RSS of that re-scan, through the launcher and through plain {@code java -jar}.</li>
 * </ol>
 *
 * Run: {@code mvn -q -DskipTests package test-compile && java -cp target/test-classes:target/asset-index.jar
 * io.assetindex.bench.ScanBenchmark [--files 100000] [--hash-mib 1024] [--dir /tmp/bench]}.
 * Needs Linux, openssl, find and GNU time (/usr/bin/time) for CPU and memory figures.
 */
public final class ScanBenchmark {
    private static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        int files = 100_000;
        int hashMib = 1024;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[++i]);
                case "--hash-mib" -> hashMib = Integer.parseInt(args[++i]);
                case "--dir" -> dir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("asset-index-bench");
        Path launcher = Path.of("packaging/asset-index").toAbsolutePath();
        Path jar = Path.of("target/asset-index.jar").toAbsolutePath();
        System.out.printf("asset-index scan benchmark in %s (%d cores, Java %s)%n%n", work,
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        try {
            hashing(work, hashMib, launcher);
            trees(work, files, launcher, jar);
        } finally {
            if (dir == null) {
                deleteTree(work);
            }
        }
    }

    private static void hashing(Path work, int mib, Path launcher) throws Exception {
        Path file = work.resolve("big.bin");
        writeRandom(file, (long) mib << 20);
        Sha256Hasher hasher = new Sha256Hasher();
        for (int warmUp = 0; warmUp < 3; warmUp++) {
            hasher.hash(file); // let the JIT compile the hashing loop and the page cache fill, as in a running daemon
        }
        double[] ours = new double[RUNS];
        double[] openssl = new double[RUNS];
        for (int run = 0; run < RUNS; run++) {
            long start = System.nanoTime();
            hasher.hash(file);
            ours[run] = (System.nanoTime() - start) / 1e9;
            openssl[run] = Measure.run(work, List.of("openssl", "dgst", "-sha256", file.toString())).wallSeconds();
        }
        double oursMibs = mib / Measure.median(ours);
        double opensslMibs = mib / Measure.median(openssl);
        double ratio = oursMibs / opensslMibs;
        System.out.printf("hashing %d MiB: asset-index %.0f MiB/s, openssl %.0f MiB/s (medians of %d): ratio %.2f"
                + " (target >= 0.90) %s%n", mib, oursMibs, opensslMibs, RUNS, ratio, Measure.verdict(ratio >= 0.9));

        Path workspace = Files.createDirectories(work.resolve("one-big-file"));
        Path wav = Files.createDirectories(workspace.resolve("raw_assets")).resolve("big.wav");
        try (OutputStream out = Files.newOutputStream(wav)) {
            out.write(wav(0));
            Files.copy(file, out);
        }
        Files.delete(file);
        Measure.Run scan = Measure.run(workspace, List.of(launcher.toString(), "scan"));
        System.out.printf("first scan of that file as big.wav, JVM start included: %.2f s (%.0f MiB/s)%n",
                scan.wallSeconds(), mib / scan.wallSeconds());
        deleteTree(workspace);

        Path tree = Files.createDirectories(work.resolve("big-files"));
        for (int i = 0; i < 64; i++) {
            Path part = Files.createDirectories(tree.resolve("raw_assets")).resolve("part" + i + ".wav");
            try (OutputStream out = Files.newOutputStream(part)) {
                out.write(wav(i + 1));
                writeRandom(out, 16L << 20, i);
            }
        }
        Measure.Run parallel = Measure.run(tree, List.of(launcher.toString(), "scan"));
        System.out.printf("first scan of 64 files of 16 MiB: %.2f s (%.0f MiB/s), %.2f cores used%n",
                parallel.wallSeconds(), 1024 / parallel.wallSeconds(), parallel.coresUsed());
        deleteTree(tree);
    }

    private static void trees(Path work, int files, Path launcher, Path jar) throws Exception {
        Path workspace = Files.createDirectories(work.resolve("workspace"));
        Path root = workspace.resolve("raw_assets");
        long start = System.nanoTime();
        generateTree(root, files);
        System.out.printf("%ngenerated %d WAV files in %.1f s%n", files, (System.nanoTime() - start) / 1e9);

        List<String> scan = List.of(launcher.toString(), "scan");
        Measure.Run first = Measure.run(workspace, scan);
        System.out.printf("first scan: %.1f s (%.0f files/s), %.2f cores used, peak RSS %.0f MiB (target < 300) %s%n",
                first.wallSeconds(), files / first.wallSeconds(), first.coresUsed(), first.peakRssMib(),
                Measure.verdict(first.peakRssMib() < 300));

        double[] rescans = new double[RUNS];
        double[] finds = new double[RUNS];
        double rescanRss = 0;
        for (int run = 0; run < RUNS; run++) {
            Measure.Run rescan = Measure.run(workspace, scan);
            rescans[run] = rescan.wallSeconds();
            rescanRss = Math.max(rescanRss, rescan.peakRssMib());
            finds[run] = Measure.run(workspace, List.of("find", root.toString(), "-type", "f", "-printf", "%s %T@\\n"))
                    .wallSeconds();
        }
        double ratio = Measure.median(rescans) / Measure.median(finds);
        System.out.printf("unchanged re-scan: %.2f s, find: %.3f s (medians of %d): ratio %.1fx (target <= 20x) %s%n",
                Measure.median(rescans), Measure.median(finds), RUNS, ratio, Measure.verdict(ratio <= 20));
        System.out.printf("re-scan peak RSS: %.0f MiB with the launcher", rescanRss);
        Measure.Run plain = Measure.run(workspace, List.of(javaBinary(), "-jar", jar.toString(), "scan"));
        System.out.printf(", %.0f MiB with plain 'java -jar' (default collector)%n", plain.peakRssMib());
    }

    /** Tiny valid WAV files with distinct content, 100 per folder, 10 folders per parent. */
    private static void generateTree(Path root, int files) throws IOException {
        for (int i = 0; i < files; i++) {
            Path folder = root.resolve(String.format("d%03d/e%d", i / 1000, (i / 100) % 10));
            if (i % 100 == 0) {
                Files.createDirectories(folder);
            }
            Files.write(folder.resolve(String.format("f%05d.wav", i)), wav(i));
        }
    }

    private static byte[] wav(int seed) {
        int dataBytes = 64;
        ByteBuffer out = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(8000).putInt(8000).putShort((short) 1).putShort((short) 8)
                .put("data".getBytes()).putInt(dataBytes);
        for (int i = 0; i < dataBytes / 4; i++) {
            out.putInt(seed * 31 + i);
        }
        return out.array();
    }

    private static void writeRandom(Path file, long bytes) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeRandom(out, bytes, 1);
        }
    }

    private static void writeRandom(OutputStream out, long bytes, long seed) throws IOException {
        Random random = new Random(seed);
        byte[] block = new byte[1 << 20];
        for (long written = 0; written < bytes; written += block.length) {
            random.nextBytes(block);
            out.write(block, 0, (int) Math.min(block.length, bytes - written));
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path path : all) {
                Files.deleteIfExists(path);
            }
        }
    }
}
