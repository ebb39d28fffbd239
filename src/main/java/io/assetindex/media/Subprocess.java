package io.assetindex.media;

import io.assetindex.util.Threads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external tool with a time limit, capturing its output.
 *
 * <p>Guarantees: the call returns within the limit plus a few seconds, whatever the tool does.
 * A tool that overruns is killed together with every process it started (a wrapper script's
 * child would otherwise keep the pipes open and the caller waiting). Output beyond a cap is
 * read and dropped, so a tool can neither exhaust memory nor block on a full pipe. A process
 * that escaped the tree (daemonized) and still holds a pipe is not waited for beyond
 * {@link #PIPE_GRACE}: what was read by then is the output.
 */
public final class Subprocess {
    private static final int MAX_OUTPUT_BYTES = 64 << 20;
    private static final int MAX_ERROR_BYTES = 256 << 10;
    /** How long output is still read after the tool ended (or was killed). */
    static final Duration PIPE_GRACE = Duration.ofSeconds(2);
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

    public static Result run(List<String> command, Duration limit) throws IOException, InterruptedException {
        return run(command, Map.of(), limit);
    }

    /**
     * @param environment variables set for the tool on top of this process's environment
     * @throws IOException when the tool cannot be started
     * @throws InterruptedException when this thread is interrupted (the process is stopping); the tool is killed
     */
    public static Result run(List<String> command, Map<String, String> environment, Duration limit)
            throws IOException, InterruptedException {
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close(); // the tools read files, never stdin
        Drain out = Drain.start(process.getInputStream(), MAX_OUTPUT_BYTES);
        Drain err = Drain.start(process.getErrorStream(), MAX_ERROR_BYTES);
        boolean finished;
        try {
            finished = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
        if (!finished) {
            killTree(process);
            process.waitFor(5, TimeUnit.SECONDS);
        }
        byte[] stdout = out.await(PIPE_GRACE);
        String stderr = new String(err.await(PIPE_GRACE), StandardCharsets.UTF_8);
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        return new Result(finished ? process.exitValue() : -1, stdout, stderr, !finished, durationMs);
    }

    /** Kills the tool and everything it started, children first so none is re-parented and missed. */
    static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Reads one stream to its end on a reader thread, keeping at most {@code max} bytes. */
    private static final class Drain implements Runnable {
        private final InputStream in;
        private final int max;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CountDownLatch done = new CountDownLatch(1);

        private Drain(InputStream in, int max) {
            this.in = in;
            this.max = max;
        }

        static Drain start(InputStream in, int max) {
            Drain drain = new Drain(in, max);
            READERS.execute(drain);
            return drain;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[64 * 1024];
            try (in) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    synchronized (kept) {
                        int room = max - kept.size();
                        if (room > 0) {
                            kept.write(buffer, 0, Math.min(read, room));
                        }
                    }
                }
            } catch (IOException e) {
                // the stream was closed under us (the tool was killed): what was read is the output
            } finally {
                done.countDown();
            }
        }

        /** What was read once the stream ended, or after {@code grace} if something still holds it open. */
        byte[] await(Duration grace) throws InterruptedException {
            if (!done.await(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    in.close();
                } catch (IOException e) {
                    // nothing more to read either way
                }
            }
            synchronized (kept) {
                return kept.toByteArray();
            }
        }
    }
}
