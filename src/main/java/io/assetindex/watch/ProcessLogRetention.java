package io.assetindex.watch;

import io.assetindex.store.IndexStore;
import io.assetindex.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code process_log_retention_days} from inside the daemon, so the audit trail of a
 * watcher that runs for years stays bounded without anyone running {@code prune}; the scan history
 * keeps its runs as long (its rows say what the attempts of the log did together). Also trims the
 * change feed to its last day. Meant to run daily; catches everything, so a failing run does not end the schedule.
 */
final class ProcessLogRetention implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    /** How long the change feed keeps a change (see {@link IndexStore#trimChanges}). */
    static final Duration CHANGE_FEED_KEPT = Duration.ofDays(1);

    private final IndexStore store;
    private final int retentionDays;
    private final DatabaseOutage outage;
    private final Clock clock;

    /** @param retentionDays rows older than this many days are deleted; 0 keeps every row */
    ProcessLogRetention(IndexStore store, int retentionDays, DatabaseOutage outage, Clock clock) {
        this.store = store;
        this.retentionDays = retentionDays;
        this.outage = outage;
        this.clock = clock;
    }

    @Override
    public void run() {
        try {
            // The change feed's readers are running services a poll behind; one that slept longer loads everything again.
            store.trimChanges(clock.instant().minus(CHANGE_FEED_KEPT));
        } catch (StoreException e) {
            if (!outage.lost(e)) {
                LOG.warn("[watcher] could not trim the change feed (index_changes): {}; trying again tomorrow",
                        e.getMessage(), e);
            }
        }
        if (retentionDays <= 0) {
            return;
        }
        try {
            Instant before = clock.instant().minus(Duration.ofDays(retentionDays));
            long deleted = store.trimProcessLog(before);
            if (deleted > 0) {
                LOG.info("[watcher] process_log: {} rows older than {} days deleted (process_log_retention_days)",
                        deleted, retentionDays);
            }
            long runs = store.trimRunHistory(before);
            if (runs > 0) {
                LOG.info("[watcher] scan history: {} runs older than {} days deleted (process_log_retention_days)",
                        runs, retentionDays);
            }
        } catch (StoreException e) {
            if (!outage.lost(e)) {
                LOG.warn("[watcher] could not trim process_log or the scan history: {}; trying again tomorrow",
                        e.getMessage(), e);
            }
        } catch (RuntimeException e) {
            LOG.warn("[watcher] could not trim process_log or the scan history: {}; trying again tomorrow", e.getMessage(), e);
        }
    }
}
