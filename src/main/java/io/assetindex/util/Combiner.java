package io.assetindex.util;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Combines the items that several threads submit at the same time into one call of a batch
 * function (group commit, one model call for many texts).
 *
 * <p>Guarantees: a caller that finds fewer than {@code parallel} batches running runs one at once,
 * with whatever is queued then (at least its own item): nothing waits for a batch to fill, so one
 * item after a quiet spell costs one call and no delay. Items submitted while {@code parallel}
 * batches run wait, and the first of their callers to get a free turn runs them as the next batch,
 * at most {@code maxBatch} items in the order they came. Under load, when the last batch ended less than {@code linger} ago, a batch waits up
 * to {@code linger} for more items before it runs (never longer, and not once it is full), so that
 * a burst forms fewer, larger batches: the delay is bounded and only paid while items keep
 * coming. Each item is in exactly one batch, and every caller returns with its own item's
 * outcome: the batch function's answer for it, or what the whole call threw (then every item of
 * that batch fails with it). The batch runs with its runner's interrupt cleared, so that one caller
 * being stopped does not fail the others' items; a caller interrupted while waiting still waits for
 * its outcome (its item may be in another thread's batch) and keeps its interrupt.
 *
 * @param <I> what is submitted
 * @param <O> what each item gives back
 */
public final class Combiner<I, O> {

    /** One call for several items: an outcome per item, in order; or a throw that fails them all. */
    @FunctionalInterface
    public interface Batch<I, O> {
        List<Outcome<O>> run(List<I> items) throws Exception;
    }

    /** What an item gave: a value, or what went wrong with it (never both). */
    public record Outcome<O>(O value, Throwable failure) {
        public static <O> Outcome<O> of(O value) {
            return new Outcome<>(value, null);
        }

        public static <O> Outcome<O> failed(Throwable failure) {
            return new Outcome<>(null, failure);
        }

        /** The value; or the failure thrown again, as {@code E} when it is one, as it is when unchecked. */
        public <E extends Exception> O get(Class<E> checked) throws E {
            if (failure == null) {
                return value;
            }
            if (checked.isInstance(failure)) {
                throw checked.cast(failure);
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            throw new IllegalStateException(failure);
        }
    }

    private static final class Pending<I, O> {
        final I item;
        /** Taken into a batch (by this caller or another). */
        boolean taken;
        Outcome<O> outcome;

        Pending(I item) {
            this.item = item;
        }
    }

    private final Batch<I, O> batch;
    private final int maxBatch;
    private final int parallel;
    private final long lingerNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition batchDone = lock.newCondition();
    private final Condition itemAdded = lock.newCondition();
    private final ArrayDeque<Pending<I, O>> queue = new ArrayDeque<>();
    private int running;
    private long lastBatchEndNanos;

    /** One batch at a time, which never waits for more items. */
    public Combiner(Batch<I, O> batch, int maxBatch) {
        this(batch, maxBatch, 1, Duration.ZERO);
    }

    /**
     * @param parallel how many batches may run at once (the cores a model may use; 1 for writes
     *                 that are serialized anyway)
     */
    public Combiner(Batch<I, O> batch, int maxBatch, int parallel, Duration linger) {
        this(batch, maxBatch, parallel, linger, System::nanoTime);
    }

    /** @param nanoTime the clock that tells whether items keep coming (tests give their own) */
    Combiner(Batch<I, O> batch, int maxBatch, int parallel, Duration linger, LongSupplier nanoTime) {
        if (maxBatch < 1 || parallel < 1) {
            throw new IllegalArgumentException("a batch holds at least one item and one batch may run, not "
                    + maxBatch + " and " + parallel);
        }
        this.batch = batch;
        this.maxBatch = maxBatch;
        this.parallel = parallel;
        this.lingerNanos = linger.toNanos();
        this.nanoTime = nanoTime;
        this.lastBatchEndNanos = nanoTime.getAsLong() - lingerNanos - 1;
    }

    /** How many items wait for a batch now (not counting those of the batches running). */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code item} in a batch, at once when a batch may start, and returns its outcome. */
    public Outcome<O> submit(I item) {
        Pending<I, O> mine = new Pending<>(item);
        lock.lock();
        try {
            queue.add(mine);
            itemAdded.signal();
            while (true) {
                while (mine.outcome == null && (mine.taken || running >= parallel)) {
                    batchDone.awaitUninterruptibly();
                }
                if (mine.outcome != null) {
                    return mine.outcome;
                }
                running++;
                lingerWhileItemsKeepComing();
                List<Pending<I, O>> taken = new ArrayList<>(Math.min(maxBatch, queue.size()));
                while (taken.size() < maxBatch && !queue.isEmpty()) {
                    Pending<I, O> next = queue.poll();
                    next.taken = true;
                    taken.add(next);
                }
                lock.unlock();
                try {
                    runUninterrupted(taken);
                } finally {
                    lock.lock();
                    running--;
                    lastBatchEndNanos = nanoTime.getAsLong();
                    batchDone.signalAll();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Under load, waits (holding the lock's condition) up to the linger for the batch to fill. */
    private void lingerWhileItemsKeepComing() {
        if (lingerNanos <= 0 || nanoTime.getAsLong() - lastBatchEndNanos >= lingerNanos) {
            return;
        }
        long deadline = System.nanoTime() + lingerNanos;
        boolean interrupted = false;
        while (queue.size() < maxBatch) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            try {
                itemAdded.awaitNanos(left);
            } catch (InterruptedException e) {
                interrupted = true;
                break;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs one batch and gives every item of it an outcome, whatever happens. */
    private void runUninterrupted(List<Pending<I, O>> taken) {
        boolean interrupted = Thread.interrupted();
        try {
            List<Outcome<O>> outcomes = batch.run(taken.stream().map(pending -> pending.item).toList());
            if (outcomes.size() != taken.size()) {
                throw new IllegalStateException(outcomes.size() + " outcomes for a batch of " + taken.size());
            }
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).outcome = outcomes.get(i);
            }
        } catch (Exception | Error e) {
            for (Pending<I, O> pending : taken) {
                if (pending.outcome == null) {
                    pending.outcome = Outcome.failed(e);
                }
            }
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
