package io.assetindex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First scans of a folder of new files through the launcher's {@code scan --json}, each on a fresh
 * workspace: the rate is files divided by the scan's own time (walking, hashing, analysis and the
 * database, without JVM start-up), and the CPU time per stage is what the scan reports
 * ({@code cpu_seconds_by_stage}), summed over the runs, against the process's CPU time.
 */
final class FirstScans {
    private FirstScans() {}

    /** Runs {@code runs} first scans of {@code source} (which holds {@code files} new files) and prints the median rate. */
    static double measure(Path work, String what, Path source, int files, int runs, double target) throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor(); // files just written would be flushed during the first run
        double[] rates = new double[runs];
        double[] walls = new double[runs];
        Map<String, Double> stages = new LinkedHashMap<>();
        double processCpu = 0;
        for (int run = 0; run < runs; run++) {
            Path workspace = Files.createDirectories(work.resolve("ws-" + source.getFileName() + "-" + run));
            Files.createSymbolicLink(workspace.resolve("raw_assets"), source);
            Path out = workspace.resolve("scan.json");
            Measure.Run scan = Measure.run(workspace, List.of("sh", "-c",
                    Path.of("packaging/asset-index").toAbsolutePath() + " scan --json > " + out));
            JsonNode summary = Json.read(Files.readString(out, StandardCharsets.UTF_8));
            if (summary.get("indexed").asInt() != files) {
                throw new IllegalStateException("expected " + files + " indexed: " + summary);
            }
            double seconds = summary.get("seconds").asDouble();
            rates[run] = files / seconds;
            walls[run] = scan.wallSeconds();
            processCpu += scan.cpuSeconds();
            summary.path("cpu_seconds_by_stage").properties()
                    .forEach(stage -> stages.merge(stage.getKey(), stage.getValue().asDouble(), Double::sum));
            System.out.printf("  run %d: %.1f files/s (scan %.2f s, wall %.2f s, %.2f cores)%n", run + 1, rates[run],
                    seconds, walls[run], scan.coresUsed());
            LauncherWatcher.deleteTree(workspace);
        }
        double rate = Measure.median(rates);
        System.out.printf("%d new %s: %.1f files/s (median of %d; scan time %.2f s, wall with JVM start %.2f s)"
                + " (target >= %.0f/s) %s%n", files, what, rate, runs, files / rate, Measure.median(walls), target,
                Measure.verdict(rate >= target));
        printStages(stages, processCpu, (long) files * runs);
        return rate;
    }

    /** CPU per file by stage, and each stage's share of the process's CPU time (the rest: JVM start, GC, JIT, walking). */
    private static void printStages(Map<String, Double> stages, double processCpu, long files) {
        if (stages.isEmpty() || processCpu <= 0) {
            System.out.println();
            return;
        }
        StringBuilder line = new StringBuilder("  CPU per file by stage:");
        double counted = 0;
        for (Map.Entry<String, Double> stage : stages.entrySet()) {
            counted += stage.getValue();
            line.append(String.format(" %s %.3f ms (%.0f%%),", stage.getKey(), stage.getValue() * 1000 / files,
                    100 * stage.getValue() / processCpu));
        }
        line.append(String.format(" other %.3f ms (%.0f%%); process %.3f ms", (processCpu - counted) * 1000 / files,
                100 * (processCpu - counted) / processCpu, processCpu * 1000 / files));
        System.out.println(line);
        System.out.println();
    }
}
