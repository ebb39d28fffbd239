package io.assetindex.util;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread factories. */
public final class Threads {
    private Threads() {}

    /** Daemon threads named {@code prefix-1}, {@code prefix-2} ..., so thread dumps and logs say what they are. */
    public static ThreadFactory daemon(String prefix) {
        AtomicInteger next = new AtomicInteger(1);
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + next.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        };
    }
}
