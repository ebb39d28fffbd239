package io.assetindex.media;

import io.assetindex.util.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool with a time limit, capturing its output. A tool that overruns is
 * killed, so a malicious or damaged file cannot hang the caller; output beyond a cap is
 * dropped, so it cannot exhaust memory.
 */
public final class Subprocess {
    private static final int MAX_OUTPUT_BYTES = 64 << 20;
    private static final int MAX_ERROR_BYTES = 256 << 10;
    /** Readers of the tools' output, one thread per stream, so a full pipe can never block a tool. */
    private static final ExecutorService READERS = Executors.newCachedThreadPool(Threads.daemon("tool-output"));

    /** What the tool did. {@code timedOut} means it was killed after the limit. */
    public record Result(int exitCode, byte[] stdout, String stderr, boolean timedOut, long durationMs) {
        public String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        /** Whether the tool failed or gave nothing. */
        public boolean failed() {
            return timedOut || exitCode != 0 || stdout.length == 0;
        }

        /** Why it failed, in a few words: "timed out", or its first error line. */
        public String problem() {
            return timedOut ? "timed out" : ToolMessages.parse(stderr).first();
        }
    }

    private Subprocess() {}

    /**
     * @throws IOException when the tool cannot be started
     * @throws InterruptedException when this thread is interrupted (the process is stopping); the tool is killed
     */
    public static Result run(List<String> command, Duration limit) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close(); // the tools read files, never stdin
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream(), MAX_OUTPUT_BYTES),
                READERS);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream(), MAX_ERROR_BYTES),
                READERS);
        boolean finished;
        try {
            finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            throw e;
        }
        if (!finished) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        byte[] stdout = out.join();
        String stderr = new String(err.join(), StandardCharsets.UTF_8);
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return new Result(finished ? process.exitValue() : -1, stdout, stderr, !finished, durationMs);
    }

    private static byte[] drain(InputStream in, int max) {
        try (in) {
            ByteArrayOutputStream kept = new ByteArrayOutputStream();
            byte[] buffer = new byte[64 * 1024];
            int read;
            while ((read = in.read(buffer)) >= 0) {
                int room = max - kept.size();
                if (room > 0) {
                    kept.write(buffer, 0, Math.min(read, room));
                }
            }
            return kept.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
