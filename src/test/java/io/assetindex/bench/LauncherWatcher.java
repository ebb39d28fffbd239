package io.assetindex.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code asset-index watch} run by the launcher (packaging/asset-index) on a workspace, as a
 * service manager runs it, for the benchmarks: started, waited for, measured from /proc, killed
 * or stopped. The launcher execs Java, so the process is the JVM itself. Linux only.
 */
final class LauncherWatcher implements AutoCloseable {
    private final Process process;

    private LauncherWatcher(Process process) {
        this.process = process;
    }

    /** @param javaOptions extra JVM options ({@code ASSET_INDEX_JAVA_OPTS}), e.g. "-Xmx256m"; may be empty */
    static LauncherWatcher start(Path workspace, String javaOptions, Path output) throws IOException {
        return start(workspace, "watch", javaOptions.isEmpty() ? java.util.Map.of()
                : java.util.Map.of("ASSET_INDEX_JAVA_OPTS", javaOptions), output);
    }

    /**
     * The launcher running {@code command} ("watch" or "serve") in {@code workspace}, with
     * {@code environment} added to this process's (e.g. ASSET_INDEX_DATABASE__URL).
     */
    static LauncherWatcher start(Path workspace, String command, java.util.Map<String, String> environment, Path output)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of("packaging/asset-index").toAbsolutePath().toString(),
                command)).directory(workspace.toFile()).redirectErrorStream(true)
                .redirectOutput(output == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.appendTo(output.toFile()));
        builder.environment().putAll(environment);
        return new LauncherWatcher(builder.start());
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits until state.json says this watcher is watching (its start-up scan done). */
    void awaitWatching(Path workspace, int seconds) throws Exception {
        awaitState(workspace, "watching", seconds);
    }

    /** Waits until state.json, written by this process, is in {@code wanted} ("watching", "serving"). */
    void awaitState(Path workspace, String wanted, int seconds) throws Exception {
        Path state = workspace.resolve(".asset_index/state.json");
        waitFor(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("the watcher exited with code " + process.exitValue());
            }
            if (!Files.exists(state)) {
                return false;
            }
            com.fasterxml.jackson.databind.JsonNode node = io.assetindex.util.Json.MAPPER.readTree(state.toFile());
            return node.path("pid").asLong() == pid() && node.path("state").asText().equals(wanted);
        }, seconds, 50);
    }

    /** The JVM's peak resident memory (VmHWM) in MiB, or -1 once it has exited. */
    double peakRssMib() {
        return memoryMib("VmHWM:");
    }

    /** The JVM's resident memory now (VmRSS) in MiB, or -1 once it has exited. */
    double rssMib() {
        return memoryMib("VmRSS:");
    }

    private double memoryMib(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    /** kill -9, as a crash, the OOM killer or a power cut would. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as {@code systemctl stop} does; returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                stop();
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @FunctionalInterface
    interface Check {
        boolean done() throws Exception;
    }

    static void waitFor(Check check, int seconds, long pollMillis) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("gave up after " + seconds + " s");
            }
            Thread.sleep(pollMillis);
        }
    }

    /** Deletes a folder tree (the benchmark's workspace). */
    static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
