package io.assetindex.watch;

import io.assetindex.store.IndexStore;
import io.assetindex.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the keyword index in few segments while the watcher has nothing to index. FTS5 merges as
 * it writes, but an index built file by file settles at 15 to 30 b-trees, and every word looked up
 * visits each one: at a million assets the snippets of a page of results took 9 ms with 26 of
 * them and 0.9 ms once merged (docs/benchmarks.md). When the index has more than
 * {@link #MOST_SEGMENTS}, they are merged into one, {@link #STEP_PAGES} pages per transaction and
 * at most {@link #TICK_BUDGET} of each housekeeping tick, only while indexing is idle (a file that
 * arrives waits for one step at most). A million assets' index (about 500 MB) merges in about
 * 15 s of work, and every merge rewrites all of it, while FTS5's own merging lets the count back
 * above {@link #MOST_SEGMENTS} within tens of transactions (15 in a trial, after which it moved
 * between 3 and 17 over 1,000): so after the first merge of a run, the next waits at least
 * {@link #MERGE_EVERY}. Called by the housekeeping thread only.
 */
final class KeywordIndexMerging {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    /** More segments than this are merged into one. */
    static final int MOST_SEGMENTS = 8;
    /** Pages written per step (about 40 ms at a million assets on a slow core). */
    static final int STEP_PAGES = 256;
    static final Duration TICK_BUDGET = Duration.ofMillis(200);
    /** How often the segments are counted while idle (a count reads ~10,000 rows at a million). */
    static final Duration CHECK_EVERY = Duration.ofMinutes(10);
    /** The least time from the end of a merge to the start of the next. */
    static final Duration MERGE_EVERY = Duration.ofDays(1);

    private final IndexStore store;
    private final DatabaseOutage outage;
    private final Clock clock;
    private Instant nextCheck;
    /** The merge under way, or null. */
    private Merge merging;
    private Instant lastMerged;

    private record Merge(Instant since, int segments) {}

    KeywordIndexMerging(IndexStore store, DatabaseOutage outage, Clock clock) {
        this.store = store;
        this.outage = outage;
        this.clock = clock;
    }

    /** Merges a little if there is something to merge; {@code idle}: no file waits to be indexed. */
    void tick(boolean idle) {
        if (!idle) {
            return;
        }
        try {
            if (merging == null && !startIfDue()) {
                return;
            }
            long until = System.nanoTime() + TICK_BUDGET.toNanos();
            do {
                if (!store.mergeKeywordIndex(STEP_PAGES)) {
                    double seconds = Duration.between(merging.since(), clock.instant()).toMillis() / 1000.0;
                    LOG.info("[watcher] keyword index merged from {} segments into one in {} s", merging.segments(),
                            String.format(Locale.ROOT, "%.1f", seconds));
                    merging = null;
                    lastMerged = clock.instant();
                    return;
                }
            } while (System.nanoTime() < until);
        } catch (RuntimeException e) {
            // Said at most once per count: the next try waits for it. A lost database is the outage's to say.
            merging = null;
            if (!(e instanceof StoreException lost && outage.lost(lost))) {
                LOG.warn("[watcher] could not merge the keyword index's segments: {}; trying again in {} minutes",
                        e.getMessage(), CHECK_EVERY.toMinutes(), e);
            }
        }
    }

    /** Whether merging starts now: the count is due and above {@link #MOST_SEGMENTS}. */
    private boolean startIfDue() {
        Instant now = clock.instant();
        if (nextCheck != null && now.isBefore(nextCheck)
                || lastMerged != null && now.isBefore(lastMerged.plus(MERGE_EVERY))) {
            return false;
        }
        nextCheck = now.plus(CHECK_EVERY);
        int segments = store.keywordIndexSegments();
        if (segments <= MOST_SEGMENTS) {
            return false;
        }
        LOG.info("[watcher] merging the keyword index's {} segments into one while idle (searches by words get"
                + " faster)", segments);
        merging = new Merge(now, segments);
        return true;
    }
}
