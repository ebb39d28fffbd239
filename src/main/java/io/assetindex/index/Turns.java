package io.assetindex.index;

import java.util.concurrent.Semaphore;

/**
 * How many files are hashed and analysed at once: at most {@code workers}. A file that waits for
 * others (its embedding computed in a batch, its writes committed in a group, its thumbnail
 * reaching the disk) gives its turn back meanwhile, so more files can be in flight than turns
 * ({@link #filesInFlight()}) and their waits overlap the work of others: the cores stay busy, and
 * the heavy work (reading big files, decoding, the tools' processes) stays within the configured
 * number of workers.
 */
public final class Turns {
    /** Files in flight per turn: enough for batches of embeddings and groups of commits to form. */
    static final int FILES_PER_TURN = 16;
    /** At most this many files in flight, however many turns (each is a thread). */
    static final int MAX_FILES_IN_FLIGHT = 128;
    /** No turns: callers that index one file at a time, or that bound their work themselves. */
    static final Turns NONE = new Turns(null);

    /** Something that waits for other files. */
    @FunctionalInterface
    interface Wait<T, E extends Exception> {
        T run() throws E;
    }

    private final Semaphore turns;
    private final int workers;

    public Turns(int workers) {
        this(new Semaphore(Math.max(1, workers)));
    }

    private Turns(Semaphore turns) {
        this.turns = turns;
        this.workers = turns == null ? 1 : turns.availablePermits();
    }

    /** How many files to keep in flight so that the turns stay busy while some files wait. */
    public int filesInFlight() {
        return Math.min(MAX_FILES_IN_FLIGHT, workers * FILES_PER_TURN);
    }

    /** Waits for a turn. */
    void take() throws InterruptedException {
        if (turns != null) {
            turns.acquire();
        }
    }

    /** Gives the turn back. */
    void give() {
        if (turns != null) {
            turns.release();
        }
    }

    /**
     * Runs {@code wait} without holding the caller's turn, and takes a turn again before returning
     * (also when interrupted meanwhile: the caller goes on and keeps its interrupt).
     */
    <T, E extends Exception> T without(Wait<T, E> wait) throws E {
        give();
        try {
            return wait.run();
        } finally {
            if (turns != null) {
                turns.acquireUninterruptibly();
            }
        }
    }
}
