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

    public static WatcherProcess start(Path workspace, String... args) {
        List<String> command = new ArrayList<>(List.of(JarRunner.java(), "-jar", JarRunner.jar().toString(), "watch"));
        command.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("watcher", ".out");
            ProcessBuilder builder = new ProcessBuilder(command).directory(workspace.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("ASSET_INDEX_"));
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
                .failFast("the watcher exited:\n" + output(), () -> !process.isAlive())
                .until(() -> phase.equals(state().path("state").asText()) && state().path("pid").asLong() == pid());
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
