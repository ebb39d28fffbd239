package io.assetindex.watch;

import io.assetindex.index.Reanalyzer;
import io.assetindex.log.ProblemLog;
import io.assetindex.state.WatcherState;
import io.assetindex.store.FeedPosition;
import io.assetindex.store.StoreException;
import io.assetindex.util.Text;
import io.assetindex.util.Threads;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the watcher's background re-analysis passes run (see {@link Reanalyzer}): AI enrichment
 * of new content, results missing after a settings change or a failure, assets other processes
 * added. One pass at a time, on its own thread, apart from indexing.
 *
 * <p>A pass runs after the start-up scan; as soon as new content was indexed and some analyzers
 * only run in the background; after a pass that was paused or left failures (an API that is
 * down), {@link #RETRY_FIRST} later, doubling with each failed pass up to {@link #RETRY_MAX}, so a
 * dead API is never hammered (a file indexed without an optional result waits the current wait,
 * never growing it); and
 * {@link #SWEEP} after a clean pass, to find what other processes left. Everything is decided on
 * {@link #tick()}, called by the watcher's housekeeping, against the injected clock.
 *
 * <p>The passes after new content and the sweeps look only at the assets the change feed names
 * since the last clean pass began (new and moved files, from this watcher or any other process),
 * so an idle watcher of a million assets no longer reads them all every 10 minutes (about 20 s of
 * a core each time). Every asset is looked at by the first pass, a requeue, the passes after
 * failures (what failed leaves no trace in the feed), when more than {@link #MAX_CHANGED} assets
 * changed or the feed cannot tell, and at least every {@link #FULL_SWEEP}.
 */
final class BackgroundPasses {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    static final Duration RETRY_FIRST = Duration.ofMinutes(1);
    static final Duration RETRY_MAX = Duration.ofHours(1);
    static final Duration SWEEP = Duration.ofMinutes(10);
    static final Duration FULL_SWEEP = Duration.ofHours(24);
    /** More changed assets than this and a pass looks at every asset (each query costs about the same then). */
    static final int MAX_CHANGED = 10_000;

    private final Reanalyzer reanalyzer;
    private final WatcherState state;
    private final ProblemLog problems;
    private final DatabaseOutage outage;
    private final Clock clock;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Threads.daemon("reanalysis"));
    private final AtomicBoolean running = new AtomicBoolean();
    /** Guarded by itself; used by the pass's thread and the indexing workers. */
    private final Backoff backoff = new Backoff(RETRY_FIRST, RETRY_MAX);
    /** When the next pass should start, or null for none wanted. */
    private volatile Instant dueAt;
    /** Null until the first pass (after the start-up scan) ended: nothing starts before it. */
    private volatile Instant lastEnded;
    private volatile boolean lastClean;
    /** The next pass also runs again what analyzers gave up on (asked for by a requeue). */
    private volatile boolean retryGivenUp;
    /** The next pass looks at every asset (a requeue, a retry after failures). */
    private volatile boolean fullDue;
    /** The change feed's head when the last clean pass began, or null before the first: the next pass looks after it. */
    private volatile FeedPosition cleanFrom;
    /** When the last clean pass over every asset began, or null before the first. */
    private volatile Instant lastFull;

    BackgroundPasses(Reanalyzer reanalyzer, WatcherState state, ProblemLog problems, DatabaseOutage outage,
            Clock clock) {
        this.reanalyzer = reanalyzer;
        this.state = state;
        this.problems = problems;
        this.outage = outage;
        this.clock = clock;
    }

    /** Starts a pass over every asset now unless one is running (after the start-up scan); returns whether it started. */
    boolean start() {
        fullDue = true;
        return startDue();
    }

    private boolean startDue() {
        if (running.compareAndSet(false, true)) {
            dueAt = null;
            boolean full = fullDue;
            fullDue = false;
            executor.execute(() -> pass(full));
            return true;
        }
        return false;
    }

    /**
     * A requeue: a pass that also tries again what analyzers gave up on, now, or as soon as the
     * running one ends. Returns whether it starts now.
     */
    boolean requeue() {
        retryGivenUp = true;
        if (start()) {
            return true;
        }
        fullDue = true;
        dueAt = clock.instant();
        return false;
    }

    /** New content was indexed: the background-only analyzers (AI descriptions) run for it now. */
    void indexedNewContent() {
        if (reanalyzer.hasDeferred()) {
            dueAt = clock.instant();
        }
    }

    /**
     * A file was indexed without an optional result: a pass tries it again after the current
     * wait, which only failed passes grow (so a burst of such files cannot stretch it).
     */
    void fileIncomplete() {
        Duration wait;
        synchronized (backoff) {
            wait = backoff.current();
        }
        fullDue = true;
        dueNoLaterThan(clock.instant().plus(wait));
    }

    /** A pass failed or was paused: the next one waits twice as long as the last, up to {@link #RETRY_MAX}. */
    private Duration retryAfterFailedPass() {
        Duration wait;
        synchronized (backoff) {
            wait = backoff.next();
        }
        fullDue = true;
        dueNoLaterThan(clock.instant().plus(wait));
        return wait;
    }

    private void dueNoLaterThan(Instant when) {
        Instant due = dueAt;
        if (due == null || due.isAfter(when)) {
            dueAt = when;
        }
    }

    /** Starts a pass if one is due; called about once a second. */
    void tick() {
        Instant now = clock.instant();
        Instant due = dueAt;
        Instant ended = lastEnded;
        if (due == null && lastClean && ended != null && !now.isBefore(ended.plus(SWEEP))) {
            due = now;
        }
        if (due != null && ended != null && !now.isBefore(due)) {
            startDue();
        }
    }

    /** Whether a pass is running. A pass sets when the next one is due (its retry, its sweep) as it ends. */
    boolean running() {
        return running.get();
    }

    /** Interrupts a running pass; returns its executor for the caller to wait on. */
    ExecutorService shutdownNow() {
        executor.shutdownNow();
        return executor;
    }

    private void pass(boolean full) {
        boolean retry = retryGivenUp;
        retryGivenUp = false;
        Instant began = clock.instant();
        try {
            Reanalyzer.Listener listener = new Reanalyzer.Listener() {
                @Override
                public void progressed(String analyzer, long done, long total) {
                    state.reanalysis(analyzer, done, total);
                }
            };
            // Read before looking: what commits meanwhile is after it, for the next pass to see.
            FeedPosition head = reanalyzer.feedHead();
            Optional<Set<String>> changed = full || retry || cleanFrom == null || lastFull == null
                    || !began.isBefore(lastFull.plus(FULL_SWEEP)) ? Optional.empty()
                    : reanalyzer.changedSince(cleanFrom, head, MAX_CHANGED);
            Reanalyzer.Summary summary = changed.isPresent() ? reanalyzer.runAmong(changed.get(), listener)
                    : reanalyzer.run(listener, retry);
            lastClean = !summary.unfinished() && summary.failed() == 0;
            if (!lastClean) {
                retryAfterFailedPass();
            } else {
                cleanFrom = head;
                if (changed.isEmpty()) {
                    lastFull = began;
                }
                synchronized (backoff) {
                    backoff.reset();
                }
            }
        } catch (StoreException e) {
            lastClean = false;
            Duration retryIn = retryAfterFailedPass();
            if (outage.lost(e)) {
                return; // said once by the outage; the pass is tried again after its backoff
            }
            problems.problem("database", "[watcher] " + e.getMessage() + "; re-analysis is tried again in "
                    + Text.duration(retryIn), e);
        } catch (RuntimeException e) {
            lastClean = false;
            LOG.error("[watcher] re-analysis failed; it is tried again in {}", Text.duration(retryAfterFailedPass()), e);
        } finally {
            lastEnded = clock.instant();
            state.reanalysisDone();
            running.set(false);
        }
    }
}
