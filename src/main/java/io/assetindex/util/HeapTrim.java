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
 * and {@code -XX:-ShrinkHeapInSteps}), here lowered so that no more than {@link HeapHeadroom}'s
 * headroom stays free (at a million assets 64 MiB, where 30% would be 216 MiB). Without it a
 * service keeps its start-up's peak for its whole life: the serial collector returns memory only
 * at a full collection, and an idle service makes none. At a million assets the start-up scan's
 * known paths and the vectors' load leave about 300 MB of heap that the service no longer holds.
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
    private final LongSupplier usedBytes;
    private final HeapHeadroom headroom;

    /** A full collection ({@link System#gc()}) of this JVM's heap. */
    public static final HeapTrim JVM = new HeapTrim(System::gc, () -> heap().getCommitted(), () -> heap().getUsed(),
            HeapHeadroom.JVM);

    /**
     * @param collector      a full collection
     * @param committedBytes what the heap holds from the system
     * @param usedBytes      what the heap holds of that (after a full collection, what is live)
     */
    HeapTrim(Runnable collector, LongSupplier committedBytes, LongSupplier usedBytes, HeapHeadroom headroom) {
        this.collector = collector;
        this.committedBytes = committedBytes;
        this.usedBytes = usedBytes;
        this.headroom = headroom;
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
        headroom.beforeTrim();
        collector.run();
        long held = usedBytes.getAsLong();
        int freePercent = headroom.fit(held);
        LOG.info("[memory] after {} ({} items): heap {} MiB -> {} MiB, {} MiB held ({} ms); {}% may stay free", work,
                items, before >> 20, committedBytes.getAsLong() >> 20, held >> 20, (System.nanoTime() - start) / 1_000_000,
                freePercent);
        return true;
    }

    private static MemoryUsage heap() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    }
}
