package io.assetindex.index;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the cores went while files were indexed: CPU time per stage (hashing, each analyzer,
 * writing to the index), summed over the threads that did the work. Work done once for several
 * files (a batch of embeddings, a group commit) counts once, in the thread that ran it; waiting
 * counts nothing. Native code run by the thread (the embedding model) counts; work of other
 * processes (ffprobe, ffmpeg) and of the JVM's own threads (garbage collection, compilation) does not.
 * Where the JVM cannot measure a thread's CPU time, every stage stays at zero.
 */
public final class StageTimes {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<String, LongAdder> nanos = new ConcurrentHashMap<>();
    private final Map<String, Integer> order = new ConcurrentHashMap<>();

    /** The current thread's CPU time so far, in nanoseconds (-1 when it cannot be measured). */
    static long now() {
        return THREADS.isCurrentThreadCpuTimeSupported() ? THREADS.getCurrentThreadCpuTime() : -1;
    }

    /** Adds the current thread's CPU time since {@code startNs} (from {@link #now()}) to {@code stage}. */
    void add(String stage, long startNs) {
        if (startNs < 0) {
            return;
        }
        nanos.computeIfAbsent(stage, name -> new LongAdder()).add(now() - startNs);
        order.putIfAbsent(stage, order.size());
    }

    /** Runs {@code work} and adds the current thread's CPU time during it to {@code stage}. */
    <T, E extends Exception> T timed(String stage, Turns.Wait<T, E> work) throws E {
        long start = now();
        try {
            return work.run();
        } finally {
            add(stage, start);
        }
    }

    /** Seconds of CPU time per stage, in the order the stages were first met. */
    public Map<String, Double> seconds() {
        Map<String, Double> seconds = new LinkedHashMap<>();
        order.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .forEach(stage -> seconds.put(stage.getKey(), nanos.get(stage.getKey()).sum() / 1e9));
        return seconds;
    }
}
