package io.assetindex.util;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the serial collector's old generation from filling with garbage while a service indexes:
 * when it grows {@link HeapHeadroom#bytes its headroom} past what the last full collection left, one full
 * collection runs (on a thread of its own) and the mark moves to what that one left.
 *
 * <p>Why: a service keeps many files in flight, and what they hold when a young collection comes
 * is promoted. JDK 17's serial collector collects the old generation once it is full, so its size
 * stays near what is live; from JDK 23 on it expands the old generation instead, as long as the
 * heap may grow (JDK-8333786), and collects it only at its maximum: in a burst of 10,000 WAV files
 * JDK 25's old generation grew to 86 MiB with 60 MiB live, and never shrank back. Only the
 * serial collector's pool ({@code Tenured Gen}) is watched, the one the launcher runs services
 * with; other collectors collect their old generation by themselves.
 *
 * <p>The growth is found by the JVM's usage threshold on that pool, checked at every collection,
 * so nothing polls. The headroom is {@link HeapHeadroom}'s: a quarter of what is held, 16 to 64 MiB
 * (a full collection costs about 0.3 to 0.6 s per 500 MB held, so a large index pays one per 64 MiB
 * promoted; without the cap, a service holding 504 MB at a million assets grew by 126 MB first).
 */
public final class OldGenerationGuard implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OldGenerationGuard.class);
    static final String SERIAL_OLD_POOL = "Tenured Gen";

    private final MemoryPoolMXBean pool;
    private final Runnable collector;
    private final ExecutorService collecting = Executors.newSingleThreadExecutor(Threads.daemon("old-gen-guard"));
    private final AtomicBoolean pending = new AtomicBoolean();
    private final NotificationListener listener = this::onNotification;
    private volatile long collections;

    OldGenerationGuard(MemoryPoolMXBean pool, Runnable collector) {
        this.pool = pool;
        this.collector = collector;
    }

    /** Starts guarding this JVM's serial old generation; empty under another collector. */
    public static Optional<OldGenerationGuard> start() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP && SERIAL_OLD_POOL.equals(p.getName()))
                .filter(MemoryPoolMXBean::isUsageThresholdSupported)
                .findFirst()
                .map(p -> new OldGenerationGuard(p, System::gc).arm());
    }

    OldGenerationGuard arm() {
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(listener, null, null);
        rearm();
        return this;
    }

    /** Full collections this guard ran. */
    long collections() {
        return collections;
    }

    private void onNotification(Notification notification, Object handback) {
        if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(notification.getType())
                && SERIAL_OLD_POOL.equals(MemoryNotificationInfo.from(
                        (javax.management.openmbean.CompositeData) notification.getUserData()).getPoolName())
                && pending.compareAndSet(false, true)) {
            collecting.execute(this::collect);
        }
    }

    private void collect() {
        try {
            long before = pool.getUsage().getUsed();
            long held = heldAfterLastFullCollection();
            if (before < held + HeapHeadroom.bytes(held)) {
                rearm(); // the collector made one of its own since the mark was set
                return;
            }
            long start = System.nanoTime();
            collector.run();
            collections++;
            held = rearm();
            LOG.debug("[memory] old generation {} MiB -> {} MiB held ({} ms)", before >> 20, held >> 20,
                    (System.nanoTime() - start) / 1_000_000);
        } catch (RuntimeException e) {
            LOG.warn("[memory] could not collect the old generation: {}", e.toString());
        } finally {
            pending.set(false);
        }
    }

    /** Sets the mark from what the pool holds now (right after a full collection, what is live). */
    private long rearm() {
        long held = heldAfterLastFullCollection();
        long max = pool.getUsage().getMax();
        long mark = held + HeapHeadroom.bytes(held);
        pool.setUsageThreshold(max > 0 ? Math.min(mark, max) : mark);
        return held;
    }

    /** What the last collection of the old generation left; before the first, what it holds now. */
    private long heldAfterLastFullCollection() {
        MemoryUsage afterCollection = pool.getCollectionUsage();
        return afterCollection != null && afterCollection.getUsed() > 0 ? afterCollection.getUsed()
                : pool.getUsage().getUsed();
    }

    @Override
    public void close() {
        try {
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).removeNotificationListener(listener);
        } catch (ListenerNotFoundException e) {
            // never added
        }
        collecting.shutdownNow();
    }
}
