package io.assetindex.watch;

import java.time.Duration;

/**
 * Capped exponential backoff: each {@link #next()} waits twice as long as the previous one,
 * from {@code initial} up to {@code max}, until {@link #reset()}. Not thread-safe.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private Duration current;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    Duration next() {
        current = current == null ? initial : current.multipliedBy(2);
        if (current.compareTo(max) > 0) {
            current = max;
        }
        return current;
    }

    /** What {@link #next()} last gave (the initial wait before the first), without growing it. */
    Duration current() {
        return current == null ? initial : current;
    }

    void reset() {
        current = null;
    }
}
