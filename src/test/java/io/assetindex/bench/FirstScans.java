package io.assetindex.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * First scans of a folder of new files through the launcher's {@code scan --json}, each on a fresh
 * workspace: the rate is files divided by the scan's own time (walking, hashing, analysis and the
 * database, without JVM start-up), and the CPU time per stage is what the scan reports
 * ({@code cpu_seconds_by_stage}), summed over the runs, against the process's CPU time. Given a
 * second build, the runs of the two alternate (this one, the other, this one ...), so that a busy
 * machine slows both alike, and the ratio of their medians is printed.
 */
final class FirstScans {
    /** A build to run through the launcher: its jar, or null for the one the launcher finds. */
    record Build(String name, Path jar) {}

    private FirstScans() {}

    /** The scans of one build. */
    private static final class Runs {
        final Build build;
        final List<Double> rates = new ArrayList<>();
        final List<Double> walls = new ArrayList<>();
        final Map<String, Double> stages = new LinkedHashMap<>();
        double processCpu;

        Runs(Build build) {
            this.build = build;
        }

        double median(List<Double> values) {
            return Measure.median(values.stream().mapToDouble(Double::doubleValue).toArray());
        }
    }

    /**
     * Runs {@code runs} first scans of {@code source} (which holds {@code files} new files) with each
     * build, alternating, prints the median rate of each and returns the first build's.
     */
    static double measure(Path work, String what, Path source, int files, int runs, double target, List<Build> builds)
            throws Exception {
        new ProcessBuilder("sync").inheritIO().start().waitFor(); // files just written would be flushed during the first run
        List<Runs> all = builds.stream().map(Runs::new).toList();
        for (int run = 0; run < runs; run++) {
            for (Runs build : all) {
                scan(work, source, files, run, build);
            }
        }
        for (Runs build : all) {
            double rate = build.median(build.rates);
            System.out.printf("%d new %s%s: %.1f files/s (median of %d; scan time %.2f s, wall with JVM start %.2f s)"
                    + " (target >= %.0f/s) %s%n", files, what, all.size() > 1 ? ", " + build.build.name() : "", rate,
                    runs, files / rate, build.median(build.walls), target, Measure.verdict(rate >= target));
            printStages(build.stages, build.processCpu, (long) files * runs);
        }
        if (all.size() > 1) {
            System.out.printf("%s / %s: %.2fx%n%n", all.get(0).build.name(), all.get(1).build.name(),
                    all.get(0).median(all.get(0).rates) / all.get(1).median(all.get(1).rates));
        }
        return all.get(0).median(all.get(0).rates);
    }

    private static void scan(Path work, Path source, int files, int run, Runs build) throws Exception {
        Path workspace = Files.createDirectories(work.resolve("ws-" + source.getFileName() + "-" + run));
        Files.createSymbolicLink(workspace.resolve("raw_assets"), source);
        Path out = workspace.resolve("scan.json");
        String jar = build.build.jar() == null ? "" : "ASSET_INDEX_JAR='" + build.build.jar().toAbsolutePath() + "' ";
        Measure.Run scan = Measure.run(workspace, List.of("sh", "-c",
                jar + Path.of("packaging/asset-index").toAbsolutePath() + " scan --json > " + out));
        JsonNode summary = Json.read(Files.readString(out, StandardCharsets.UTF_8));
        if (summary.get("indexed").asInt() != files) {
            throw new IllegalStateException("expected " + files + " indexed: " + summary);
        }
        double seconds = summary.get("seconds").asDouble();
        build.rates.add(files / seconds);
        build.walls.add(scan.wallSeconds());
        build.processCpu += scan.cpuSeconds();
        summary.path("cpu_seconds_by_stage").properties()
                .forEach(stage -> build.stages.merge(stage.getKey(), stage.getValue().asDouble(), Double::sum));
        System.out.printf("  run %d, %s: %.1f files/s (scan %.2f s, wall %.2f s, %.2f cores)%n", run + 1,
                build.build.name(), files / seconds, seconds, scan.wallSeconds(), scan.coresUsed());
        LauncherWatcher.deleteTree(workspace);
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
