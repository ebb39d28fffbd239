package io.assetindex.watch;

import io.assetindex.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.slf4j.Logger;

/**
 * Whether the watcher's index database can be reached (a PostgreSQL server restarted, the network
 * to it down). The first failure that says it cannot ({@link StoreException#databaseUnreachable})
 * starts an outage, logged once as a warning and put in state.json; whoever meets it puts its work
 * back, and no work is handed out while it lasts (files keep arriving and wait in the debouncer,
 * nothing is recorded as failed). The dispatcher probes the database, with capped exponential
 * backoff; the first probe that answers ends the outage, logged once with how long it lasted and
 * how much work waited. Thread-safe.
 */
final class DatabaseOutage {
    static final Duration FIRST_PROBE = Duration.ofSeconds(1);
    static final Duration MAX_PROBE_INTERVAL = Duration.ofSeconds(30);

    /** What probes the database; throws when it cannot be reached. */
    @FunctionalInterface
    interface Probe {
        void run();
    }

    private final Logger log;
    private final Clock clock;
    private final Consumer<String> lastError;
    private final Backoff backoff = new Backoff(FIRST_PROBE, MAX_PROBE_INTERVAL);
    private Instant since;
    private Instant nextProbe;

    /** @param lastError where the line that the database went also goes (state.json's last error) */
    DatabaseOutage(Logger log, Clock clock, Consumer<String> lastError) {
        this.log = log;
        this.clock = clock;
        this.lastError = lastError;
    }

    /**
     * Reports a database failure; returns whether it means the database is unreachable (then the
     * caller puts its work back and leaves the rest to the outage), false for another failure.
     */
    boolean lost(StoreException failure) {
        if (!StoreException.databaseUnreachable(failure)) {
            return false;
        }
        synchronized (this) {
            if (since != null) {
                return true;
            }
            since = clock.instant();
            backoff.reset();
            nextProbe = since.plus(backoff.next());
        }
        String message = "lost the index database (" + failure.getMessage() + "); waiting for it to come back,"
                + " holding the files that arrive meanwhile";
        log.warn("[watcher] {}", message);
        lastError.accept(message);
        return true;
    }

    synchronized boolean active() {
        return since != null;
    }

    /**
     * Probes the database when the next probe is due; returns true when this probe ended the
     * outage, and then logs that with {@code waiting}'s description of the work held.
     */
    boolean probeIfDue(Probe probe, java.util.function.Supplier<String> waiting) {
        Instant started;
        synchronized (this) {
            if (since == null || clock.instant().isBefore(nextProbe)) {
                return false;
            }
            started = since;
        }
        try {
            probe.run();
        } catch (StoreException e) {
            synchronized (this) {
                nextProbe = clock.instant().plus(backoff.next());
            }
            if (!StoreException.databaseUnreachable(e)) {
                log.debug("[watcher] the index database answers a probe with an error", e);
            }
            return false;
        }
        synchronized (this) {
            since = null;
        }
        long seconds = Math.max(0, Duration.between(started, clock.instant()).toSeconds());
        log.info("[watcher] the index database is back after {} s; indexing {}", seconds, waiting.get());
        return true;
    }
}
