package io.assetindex.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/** {@code asset-index watch} running as a real subprocess on a workspace, as systemd would run it. */
public final class WatcherProcess implements AutoCloseable {
    private final Process process;
    private final Path workspace;
    private final Path output;

    private WatcherProcess(Process process, Path workspace, Path output) {
        this.process = process;
        this.workspace = workspace;
        this.output = output;
    }

    /**
     * Starts {@code watch} with its API on any free port (tests run side by side; the port it got
     * is in state.json).
     */
    public static WatcherProcess start(Path workspace, String... args) {
        return launch(workspace, Map.of(ANY_PORT, "0"), "watch", args);
    }

    /** The environment variable that sets server.port. */
    public static final String ANY_PORT = "ASSET_INDEX_SERVER__PORT";

    /**
     * Starts a service command ({@code watch} or {@code serve}) with these environment variables
     * added (and no other ASSET_INDEX_ ones).
     */
    public static WatcherProcess launch(Path workspace, Map<String, String> env, String subcommand, String... args) {
        return launch(List.of(), workspace, env, subcommand, args);
    }

    /**
     * As {@link #launch(Path, Map, String, String...)}, with the JVM allowed to run on the CPUs
     * {@code cpus} only ({@code taskset -c}, for example {@code "1"} or {@code "0-1"}), as if the
     * machine had those CPUs alone: the JVM sizes its thread pools and garbage collector by them.
     */
    public static WatcherProcess launchOnCpus(String cpus, Path workspace, Map<String, String> env, String subcommand,
            String... args) {
        return launch(List.of("taskset", "-c", cpus), workspace, env, subcommand, args);
    }

    private static WatcherProcess launch(List<String> prefix, Path workspace, Map<String, String> env,
            String subcommand, String... args) {
        // taskset execs the JVM, so the process started is the watcher itself (its pid, its exit).
        List<String> command = new ArrayList<>(prefix);
        command.addAll(JarRunner.command(subcommand));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("watcher", ".out");
            output.toFile().deleteOnExit(); // read after the watcher exits, so kept until the tests end
            ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("ASSET_INDEX_"));
            builder.environment().putAll(env);
            return new WatcherProcess(builder.start(), workspace, output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a watcher and waits until it is watching. */
    public static WatcherProcess startWatching(Path workspace, String... args) {
        WatcherProcess watcher = start(workspace, args);
        watcher.awaitPhase("watching");
        return watcher;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String output() {
        try {
            return Files.readString(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** state.json as the watcher last wrote it (empty object if not yet written). */
    public JsonNode state() {
        Path file = workspace.resolve(".asset_index/state.json");
        try {
            return Files.exists(file) ? Json.MAPPER.readTree(file.toFile()) : Json.object();
        } catch (IOException e) {
            return Json.object(); // between writes on some file systems; callers poll
        }
    }

    public void awaitPhase(String phase) {
        Awaitility.await("watcher state " + phase).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .failFast(this::failIfExited)
                .until(() -> phase.equals(state().path("state").asText()) && state().path("pid").asLong() == pid());
    }

    /** For awaits: a watcher that exited will not get there; says what it printed. */
    private void failIfExited() {
        if (!process.isAlive()) {
            throw new AssertionError("the watcher exited (" + process.exitValue() + "):\n" + output());
        }
    }

    /** Where its API answers, as state.json says (waits until it does). */
    public java.net.URI apiUrl() {
        Awaitility.await("the API's address in state.json").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .failFast(this::failIfExited)
                .until(() -> state().path("api").path("url").isTextual());
        return java.net.URI.create(state().path("api").path("url").asText());
    }

    /** SIGTERM, then the exit code (waits up to {@code within}). */
    public int terminate(Duration within) {
        process.destroy();
        return waitForExit(within);
    }

    /** SIGKILL: no chance to clean up. */
    public void kill() {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(10));
    }

    public int waitForExit(Duration within) {
        try {
            if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the watcher did not exit within " + within + ":\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(10));
        }
    }
}
