package io.assetindex.log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;

/**
 * Logs a persistent problem when it starts, when its message changes and when it is
 * resolved, not every time it recurs: recurrences are counted and summed up at most once
 * per reminder interval. Problems are told apart by a key (a watch path, "state.json" ...).
 * Thread-safe.
 */
public final class ProblemLog {
    private final Logger log;
    private final Clock clock;
    private final Duration reminder;
    private final Map<String, Active> active = new HashMap<>();

    private static final class Active {
        final String message;
        Instant lastLoggedAt;
        long repeats;

        Active(String message, Instant at) {
            this.message = message;
            this.lastLoggedAt = at;
        }
    }

    public ProblemLog(Logger log, Clock clock, Duration reminder) {
        this.log = log;
        this.clock = clock;
        this.reminder = reminder;
    }

    /** Reports that the problem named {@code key} is happening; {@code cause} (may be null) goes to watcher.err.log once. */
    public synchronized void problem(String key, String message, Throwable cause) {
        Instant now = clock.instant();
        Active current = active.get(key);
        if (current == null || !current.message.equals(message)) {
            active.put(key, new Active(message, now));
            if (cause == null) {
                log.warn(message);
            } else {
                log.warn(message, cause);
            }
            return;
        }
        current.repeats++;
        if (Duration.between(current.lastLoggedAt, now).compareTo(reminder) >= 0) {
            log.warn("{} (again, {} times since {})", message, current.repeats, current.lastLoggedAt);
            current.lastLoggedAt = now;
            current.repeats = 0;
        }
    }

    public void problem(String key, String message) {
        problem(key, message, null);
    }

    /** Reports that the problem named {@code key} is over; logged only if it was active. */
    public synchronized void resolved(String key, String message) {
        if (active.remove(key) != null) {
            log.info(message);
        }
    }

    public synchronized boolean isActive(String key) {
        return active.containsKey(key);
    }
}
