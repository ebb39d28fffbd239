package io.assetindex.index;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-file lines of watcher.out.log, in the exact formats DESIGN.md promises (scripts
 * grep for them). Failures are warnings, so they also reach watcher.err.log.
 */
public final class EventLog {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    private EventLog() {}

    public static void record(FileOutcome outcome) {
        switch (outcome.kind()) {
            case INDEXED, LINKED -> LOG.info("[watcher] processed {} in {}ms", outcome.displayPath(), outcome.durationMs());
            case SKIPPED -> LOG.info("[watcher] skipped {}", outcome.displayPath());
            case FAILED -> LOG.warn("[watcher] failed {}: {}", outcome.displayPath(), outcome.error());
            case ABANDONED -> LOG.info("[watcher] abandoned {} (stopping); it is indexed on the next start",
                    outcome.displayPath());
            case UNCHANGED -> { }
        }
    }
}
