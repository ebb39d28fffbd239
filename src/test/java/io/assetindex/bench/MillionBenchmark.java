package io.assetindex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * asset-index at a million assets: a synthetic index of {@code --assets} (1,000,000) assets and
 * its files on disk ({@link MillionDataSet}, made once in {@code --dir} and used again), then
 * vector search against sqlite-vec's {@code vec0} and exact float search ({@link MillionSearch}),
 * the daemon's start, memory and answers ({@link MillionService}), and the memory of each command
 * that must stream ({@link MillionCommands}), each against its target.
 *
 * <p>Run: {@code java -XX:+UseTransparentHugePages -cp
 * target/test-classes:target/asset-index.jar:$(cat target/test-classpath.txt)
 * io.assetindex.bench.MillionBenchmark --dir DIR [--assets 1000000] [--queries 100] [--runs 3]
 * [--searches 100] [--phases search,service,commands] [--sqlite-vec /path/to/vec0.so]}. Needs npm
 * unless {@code --sqlite-vec} is given, about 11 GB in DIR and 1.5 GB of memory for the in-memory
 * vec0 copy.
 */
public final class MillionBenchmark {
    private static final Path LAUNCHER = Path.of("packaging/asset-index").toAbsolutePath();

    private MillionBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = null;
        int assets = 1_000_000;
        int queries = 100;
        int runs = 3;
        int searches = 100;
        Set<String> phases = Set.of("search", "service", "commands");
        Path sqliteVec = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--dir" -> dir = Path.of(args[++i]);
                case "--assets" -> assets = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--searches" -> searches = Integer.parseInt(args[++i]);
                case "--phases" -> phases = Set.of(args[++i].split(","));
                case "--sqlite-vec" -> sqliteVec = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (dir == null || assets > 1 << 20) {
            throw new IllegalArgumentException("--dir DIR is required (the data set is kept there); --assets at most 1048576");
        }
        System.out.printf("asset-index at a million assets (%d cores, Java %s)%n",
                Runtime.getRuntime().availableProcessors(), Runtime.version());
        MillionDataSet data = new MillionDataSet(dir, assets).ensure(LAUNCHER);
        // A data set made by an older build gets this build's migrations now, not during a measured run.
        double upgrade = Measure.run(data.workspace(), List.of(LAUNCHER.toString(), "status")).wallSeconds();
        System.out.printf("status before measuring (applies any pending migration): %.1f s%n", upgrade);
        MillionSearch.Figures search = null;
        MillionService.Figures service = null;
        List<MillionCommands.Figure> commands = List.of();
        if (phases.contains("search")) {
            System.out.printf("%nvector search, in this JVM%n");
            Path library = sqliteVec != null ? sqliteVec : SqliteVec.install(Files.createDirectories(dir.resolve("sqlite-vec")));
            System.out.printf("  sqlite-vec %s%n", SqliteVec.version(library));
            search = new MillionSearch(data, library).run(queries);
        }
        if (phases.contains("service")) {
            System.out.printf("%nthe daemon (watch, through the launcher)%n");
            service = new MillionService(data, LAUNCHER).run(runs, searches);
        }
        if (phases.contains("commands")) {
            System.out.printf("%ncommands, through the launcher, no daemon running%n");
            commands = new MillionCommands(data, LAUNCHER).run();
        }
        summary(assets, search, service, commands);
    }

    private static void summary(int assets, MillionSearch.Figures search, MillionService.Figures service,
            List<MillionCommands.Figure> commands) {
        System.out.printf("%nsummary at %,d assets%n", assets);
        String row = "  %-62s %-14s %s%n";
        System.out.printf(row, "figure", "target", "measured");
        if (search != null) {
            System.out.printf(row, "top-10 in process: asset-index / vec0 file / vec0 in memory (median)", "",
                    String.format("%.1f / %.1f / %.1f ms (p90 %.1f ms)", search.oursMedianMs(), search.fileMedianMs(),
                            search.memoryMedianMs(), search.oursP90Ms()));
            System.out.printf(row, "CPU per search: asset-index (all threads) / vec0 file / in memory", "",
                    String.format("%.1f / %.1f / %.1f ms (%.1fx / %.1fx)", search.oursCpuMs(), search.fileCpuMs(),
                            search.memoryCpuMs(), search.fileCpuMs() / search.oursCpuMs(),
                            search.memoryCpuMs() / search.oursCpuMs()));
            System.out.printf(row, "faster than vec0 on the database file", ">= 15x",
                    verdict(search.fileRatio() >= 15, "%.1fx", search.fileRatio()));
            System.out.printf(row, "faster than vec0 in memory", ">= 10x",
                    verdict(search.memoryRatio() >= 10, "%.1fx", search.memoryRatio()));
            System.out.printf(row, "identical top-10 ids to exact float search", "all",
                    verdict(search.identicalToExact() == search.queries(), "%d of %d (vec0: %d)",
                            search.identicalToExact(), search.queries(), search.identicalToVec0()));
            System.out.printf(row, "vectors held / load time", "", String.format("%,d MiB (%.3fx float32) / %.1f s",
                    search.memoryBytes() >> 20, (double) search.memoryBytes() / ((long) search.vectors() * 384 * 4),
                    search.loadSeconds()));
        }
        if (service != null) {
            System.out.printf(row, "GET /api/v1/search semantic / hybrid, p50", "<= 50 ms",
                    verdict(Math.max(service.semanticMs(), service.hybridMs()) <= 50, "%.1f / %.1f ms",
                            service.semanticMs(), service.hybridMs()));
            System.out.printf(row, "daemon RSS, model loaded, API up: now / peak", "<= 1 GB",
                    verdict(service.peakRssMib() <= 1024, "%.0f / %.0f MiB", service.rssMib(), service.peakRssMib()));
            System.out.printf(row, "watcher start to watching / find -printf (medians)", "<= 12x",
                    verdict(service.startRatio() <= 12, "%.1f s / %.2f s = %.1fx (starts %s)",
                            service.startRatio() * service.findSeconds(), service.findSeconds(), service.startRatio(),
                            service.startSeconds().stream().map(s -> String.format("%.1f", s)).toList()));
            System.out.printf(row, "status with the daemon running (launcher)", "<= 0.5 s",
                    verdict(service.statusSeconds() <= 0.5, "%.2f s", service.statusSeconds()));
            System.out.printf(row, "GET /api/v1/assets first page: first / remembered", "<= 100 ms",
                    verdict(service.listFirstMs() <= 100, "%.0f / %.1f ms (type=video first %.0f ms)",
                            service.listFirstMs(), service.listRememberedMs(), service.listVideoFirstMs()));
        }
        for (MillionCommands.Figure figure : commands) {
            System.out.printf(row, figure.command(), "bounded", String.format("%.2f s, peak RSS %.0f MiB",
                    figure.seconds(), figure.peakRssMib()));
        }
    }

    private static String verdict(boolean ok, String format, Object... values) {
        return String.format(format, values) + " " + Measure.verdict(ok);
    }
}
