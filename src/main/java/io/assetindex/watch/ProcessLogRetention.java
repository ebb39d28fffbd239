package io.assetindex.watch;

import io.assetindex.store.IndexStore;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code process_log_retention_days} from inside the daemon, so the audit trail of a
 * watcher that runs for years stays bounded without anyone running {@code prune}. Meant to run
 * daily; catches everything, so a failing run does not end the schedule.
 */
final class ProcessLogRetention implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    private final IndexStore store;
    private final int retentionDays;
    private final Clock clock;

    /** @param retentionDays rows older than this many days are deleted; 0 keeps every row */
    ProcessLogRetention(IndexStore store, int retentionDays, Clock clock) {
        this.store = store;
        this.retentionDays = retentionDays;
        this.clock = clock;
    }

    @Override
    public void run() {
        if (retentionDays <= 0) {
            return;
        }
        try {
            long deleted = store.trimProcessLog(clock.instant().minus(Duration.ofDays(retentionDays)));
            if (deleted > 0) {
                LOG.info("[watcher] process_log: {} rows older than {} days deleted (process_log_retention_days)",
                        deleted, retentionDays);
            }
        } catch (RuntimeException e) {
            LOG.warn("[watcher] could not trim process_log: {}; trying again tomorrow", e.getMessage(), e);
        }
    }
}
