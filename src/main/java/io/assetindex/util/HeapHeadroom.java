package io.assetindex.util;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much memory a service's heap keeps beyond what it holds: a quarter of what is held, at least
 * {@link #MIN_BYTES} and at most {@link #MAX_BYTES}. Both ways the heap grows past what is held
 * follow it: {@link OldGenerationGuard} collects the old generation when it has grown this much,
 * and after {@link HeapTrim}'s full collection the heap is cut to what is held plus this much.
 *
 * <p>Why a cap: the launcher's {@code -XX:MaxHeapFreeRatio=30} lets a heap keep 30% of itself free
 * after a full collection, which is little for a small heap and 216 MB for the 504 MB that a service
 * holds at a million assets. The cap is applied through that option (a manageable one, changed at
 * run time), so it is the collector's own resizing that does the work; it is never set above the
 * value the JVM started with, nor within 5 points of {@code MinHeapFreeRatio}, below which the heap
 * would grow at nearly every collection.
 */
public final class HeapHeadroom {
    private static final Logger LOG = LoggerFactory.getLogger(HeapHeadroom.class);
    static final long MIN_BYTES = 16L << 20;
    static final long MAX_BYTES = 64L << 20;
    private static final int ABOVE_MIN_FREE = 5;

    private final IntConsumer maxFreeRatio;
    private final int floorPercent;
    private final int ceilingPercent;

    /** This JVM's, or one that changes nothing where its options cannot be read or set. */
    public static final HeapHeadroom JVM = ofThisJvm();

    HeapHeadroom(IntConsumer maxFreeRatio, int minFreePercent, int maxFreePercent) {
        this.maxFreeRatio = maxFreeRatio;
        this.floorPercent = Math.min(maxFreePercent, minFreePercent + ABOVE_MIN_FREE);
        this.ceilingPercent = maxFreePercent;
    }

    /** The headroom for a heap holding {@code heldBytes}. */
    public static long bytes(long heldBytes) {
        return Math.max(MIN_BYTES, Math.min(MAX_BYTES, heldBytes / 4));
    }

    /** The share of the heap to keep free, in percent, for a heap holding {@code heldBytes}. */
    int percentFor(long heldBytes) {
        long headroom = bytes(heldBytes);
        long percent = Math.round(100.0 * headroom / (heldBytes + headroom));
        return (int) Math.max(floorPercent, Math.min(ceilingPercent, percent));
    }

    /** Before a full collection meant to give memory back: the least free share, so the heap shrinks as far as allowed. */
    void beforeTrim() {
        maxFreeRatio.accept(floorPercent);
    }

    /** After it: the free share for what the heap holds now, for the collections to come. */
    int fit(long heldBytes) {
        int percent = percentFor(heldBytes);
        maxFreeRatio.accept(percent);
        return percent;
    }

    private static HeapHeadroom ofThisJvm() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            int min = Integer.parseInt(vm.getVMOption("MinHeapFreeRatio").getValue());
            int max = Integer.parseInt(vm.getVMOption("MaxHeapFreeRatio").getValue());
            return new HeapHeadroom(percent -> {
                try {
                    vm.setVMOption("MaxHeapFreeRatio", Integer.toString(percent));
                } catch (RuntimeException e) {
                    LOG.debug("[memory] cannot set MaxHeapFreeRatio to {}: {}", percent, e.toString());
                }
            }, min, max);
        } catch (RuntimeException e) { // not HotSpot, or no such option
            LOG.debug("[memory] the heap's free ratio cannot be read: {}", e.toString());
            return new HeapHeadroom(percent -> { }, 0, 100);
        }
    }
}
