package io.assetindex.media;

import java.util.concurrent.Semaphore;

/**
 * The memory that pictures decoded in this process may take together. Each decode takes its
 * estimated need before it allocates anything and gives it back when done, so however many
 * workers decode at once, together they stay within the budget; a decode that needs more than
 * the whole budget is refused ({@link ImageDecoding.TooLarge}) and goes out of process instead.
 * Counted in KiB so that a budget of gigabytes fits a semaphore.
 */
public final class DecodeBudget {
    private static final long MIN_BYTES = 64L << 20;
    private static final long MAX_BYTES = 1L << 30;

    private final long bytes;
    private final Semaphore kibibytes;

    DecodeBudget(long bytes) {
        this.bytes = bytes;
        this.kibibytes = new Semaphore((int) (bytes >> 10), true);
    }

    /** A third of the heap this JVM may grow to, at least 64 MiB and at most 1 GiB. */
    public static DecodeBudget forThisProcess() {
        return new DecodeBudget(Math.max(MIN_BYTES, Math.min(MAX_BYTES, Runtime.getRuntime().maxMemory() / 3)));
    }

    long bytes() {
        return bytes;
    }

    /** What one decode holds; give it back by closing it. */
    final class Grant implements AutoCloseable {
        private final int held;

        private Grant(int held) {
            this.held = held;
        }

        @Override
        public void close() {
            kibibytes.release(held);
        }
    }

    /**
     * Waits until {@code needed} bytes are free and takes them.
     *
     * @throws ImageDecoding.TooLarge when {@code needed} is more than the whole budget
     */
    Grant take(long needed) throws ImageDecoding.TooLarge, InterruptedException {
        if (needed > bytes) {
            throw new ImageDecoding.TooLarge("decoding it would need about " + (needed >> 20)
                    + " MiB, more than the " + (bytes >> 20) + " MiB pictures may use in this process");
        }
        int held = (int) Math.max(1, needed >> 10);
        kibibytes.acquire(held);
        return new Grant(held);
    }
}
