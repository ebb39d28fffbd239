package io.assetindex.util;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap that a large piece of work needed back to the system once the work is done: one
 * full collection, after which the collector shrinks the heap to what is held plus its free
 * ratio (the launcher runs a service with the serial collector, {@code -XX:MaxHeapFreeRatio=30}
 * and {@code -XX:-ShrinkHeapInSteps}). Without it a service keeps its start-up's peak for its
 * whole life: the serial collector returns memory only at a full collection, and an idle service
 * makes none. At a million assets the start-up scan's known paths and the vectors' load leave
 * about 300 MB of heap that the service no longer holds.
 *
 * <p>Work over fewer than {@link #WORTH_IT} items is left to the collector: the pause (about a
 * second per 500 MB held) buys back little there.
 */
public final class HeapTrim {
    private static final Logger LOG = LoggerFactory.getLogger(HeapTrim.class);

    /** Items (files, vectors) below which a piece of work is not worth a full collection. */
    public static final long WORTH_IT = 100_000;

    private final Runnable collector;
    private final LongSupplier committedBytes;

    /** A full collection ({@link System#gc()}) of this JVM's heap. */
    public static final HeapTrim JVM = new HeapTrim(System::gc, HeapTrim::heapCommittedBytes);

    /** @param collector a full collection; {@code committedBytes} what the heap holds from the system */
    public HeapTrim(Runnable collector, LongSupplier committedBytes) {
        this.collector = collector;
        this.committedBytes = committedBytes;
    }

    /**
     * Collects once if {@code items} reached {@link #WORTH_IT}; the work's garbage must be
     * unreachable by now. True when it collected.
     *
     * @param work what just ended, for the log ("the start-up scan", "the vectors' load")
     */
    public boolean after(String work, long items) {
        if (items < WORTH_IT) {
            return false;
        }
        long before = committedBytes.getAsLong();
        long start = System.nanoTime();
        collector.run();
        LOG.info("[memory] after {} ({} items): heap {} MiB -> {} MiB ({} ms)", work, items, before >> 20,
                committedBytes.getAsLong() >> 20, (System.nanoTime() - start) / 1_000_000);
        return true;
    }

    private static long heapCommittedBytes() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getCommitted();
    }
}
