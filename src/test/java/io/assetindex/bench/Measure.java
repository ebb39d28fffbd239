package io.assetindex.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs commands and reports wall time, CPU time and peak RSS (through GNU time when present). */
final class Measure {
    private static final Path GNU_TIME = Path.of("/usr/bin/time");

    /** One run: seconds of wall and CPU time, peak resident memory in MiB (-1 when unknown). */
    record Run(double wallSeconds, double cpuSeconds, double peakRssMib, int exitCode) {
        double coresUsed() {
            return cpuSeconds < 0 ? -1 : cpuSeconds / wallSeconds;
        }
    }

    private Measure() {}

    static Run run(Path workingDir, List<String> command) throws IOException, InterruptedException {
        Path report = Files.createTempFile("bench-time", ".txt");
        List<String> full = new ArrayList<>();
        boolean timed = Files.isExecutable(GNU_TIME);
        if (timed) {
            full.addAll(List.of(GNU_TIME.toString(), "-o", report.toString(), "-f", "%M %U %S"));
        }
        full.addAll(command);
        ProcessBuilder builder = new ProcessBuilder(full).directory(workingDir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.INHERIT);
        long start = System.nanoTime();
        Process process = builder.start();
        int exit = process.waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        double rss = -1;
        double cpu = -1;
        if (timed) {
            String[] fields = Files.readString(report).strip().lines().reduce((a, b) -> b).orElse("").split(" ");
            if (fields.length == 3) {
                rss = Double.parseDouble(fields[0]) / 1024;
                cpu = Double.parseDouble(fields[1]) + Double.parseDouble(fields[2]);
            }
        }
        Files.deleteIfExists(report);
        if (exit != 0) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exit);
        }
        return new Run(wall, cpu, rss, exit);
    }

    static double median(double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static String verdict(boolean ok) {
        return ok ? "PASS" : "FAIL";
    }

    /** The nearest-rank percentile. */
    static double percentile(double[] values, int percent) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (percent * sorted.length + 99) / 100;
        return sorted[Math.max(0, rank - 1)];
    }

    /** The used heap after full collections, so that it counts live objects only (roughly: GC is a request). */
    static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
