package io.assetindex.watch;

import io.assetindex.config.VerifySettings;
import io.assetindex.log.ProblemLog;
import io.assetindex.maintain.Reverifier;
import io.assetindex.state.WatcherSnapshot;
import io.assetindex.state.WatcherState;
import io.assetindex.store.IndexStore;
import io.assetindex.store.RunCounts;
import io.assetindex.store.RunKind;
import io.assetindex.store.RunOutcome;
import io.assetindex.store.StoreException;
import io.assetindex.util.Text;
import io.assetindex.util.Threads;
import io.assetindex.util.Timestamps;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When the watcher's scheduled re-verification runs ({@link Reverifier}): a pass on its own
 * thread after the start-up scan, then whenever {@link #CHECK} has passed since the last one
 * ended, each reading what has come due. A pass yields to indexing through the reverifier's gate
 * and stops at shutdown; what it verified stays recorded. Its progress and findings go to
 * state.json; bit rot goes to the err log and state.json's last_error, loudly, once per file. A
 * pass that found something due is a row of the scan history (kind "verification").
 */
final class VerificationPasses {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    static final Duration CHECK = Duration.ofMinutes(10);

    private final Reverifier reverifier;
    private final IndexStore store;
    private final List<String> watchPaths;
    private final VerifySettings settings;
    private final WatcherState state;
    private final ProblemLog problems;
    private final DatabaseOutage outage;
    private final Clock clock;
    private final Consumer<Path> changed;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(Threads.daemon("verification"));
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong bitRotFound = new AtomicLong();
    private volatile boolean stopping;
    /** Null until {@link #start()} (after the start-up scan). */
    private volatile Instant nextAt;
    private volatile Instant lastFinished;

    /**
     * @param changed takes a file whose size or mtime differ from the index, for the watcher to index again
     */
    VerificationPasses(Reverifier reverifier, IndexStore store, List<String> watchPaths, VerifySettings settings,
            WatcherState state, ProblemLog problems, DatabaseOutage outage, Clock clock, Consumer<Path> changed) {
        this.reverifier = reverifier;
        this.store = store;
        this.watchPaths = List.copyOf(watchPaths);
        this.settings = settings;
        this.state = state;
        this.problems = problems;
        this.outage = outage;
        this.clock = clock;
        this.changed = changed;
    }

    /** After the start-up scan: the first pass may start. */
    void start() {
        if (settings.enabled()) {
            nextAt = clock.instant();
            state.verification(idle());
        }
    }

    /** Starts a pass when one is due; called about once a second. */
    void tick() {
        Instant next = nextAt;
        if (next != null && !stopping && !clock.instant().isBefore(next) && running.compareAndSet(false, true)) {
            executor.execute(this::pass);
        }
    }

    /** Stops a running pass; returns its executor for the caller to wait on. */
    ExecutorService shutdownNow() {
        stopping = true;
        executor.shutdownNow();
        return executor;
    }

    /** A pass over what is due, recorded in the scan history when something was (not every empty look). */
    private void pass() {
        Long runId = null;
        try {
            if (reverifier.due().files() == 0) {
                return;
            }
            runId = store.runStarted(RunKind.VERIFICATION, watchPaths);
            Reverifier.Pass pass;
            try {
                pass = reverifier.run(new Listener(), () -> stopping);
            } catch (InterruptedException e) {
                Thread.interrupted(); // the run's end is still recorded; the thread ends right after
                store.runFinished(runId, null, RunOutcome.INTERRUPTED, "stopped with the watcher");
                return;
            }
            LOG.info("[verify] {} files ({}) read again{}: {} with bit rot, {} changed (indexed again), {} unreadable"
                    + " or gone", pass.files(), Text.bytes(pass.bytes()), pass.finished() ? "" : " (stopped)",
                    pass.bitRot(), pass.changed(), pass.unreadable());
            store.runFinished(runId, new RunCounts(pass.files(), 0, 0, 0, pass.unreadable(), 0, 0, 0, pass.bytes(),
                    pass.bitRot()), pass.finished() ? RunOutcome.OK : RunOutcome.INTERRUPTED,
                    pass.changed() > 0 ? pass.changed() + " files changed behind the index, handed to the watcher" : null);
            problems.resolved("verification", "[verify] re-verification works again");
        } catch (StoreException e) {
            if (outage.lost(e)) {
                return; // said once by the outage; the pass is tried again (the finally below) in CHECK
            }
            problems.problem("verification", "[verify] re-verification stopped: " + e.getMessage() + "; it is tried"
                    + " again in " + Text.duration(CHECK), e);
        } catch (RuntimeException e) {
            LOG.error("[verify] re-verification failed; it is tried again in {}", Text.duration(CHECK), e);
            if (runId != null) {
                store.runFinished(runId, null, RunOutcome.FAILED, e.toString());
            }
        } finally {
            lastFinished = clock.instant();
            nextAt = lastFinished.plus(CHECK);
            state.verification(idle());
            running.set(false);
        }
    }

    private WatcherSnapshot.Verification idle() {
        return new WatcherSnapshot.Verification("idle", settings.everyDays(), settings.maxMbPerSecond(), null, null,
                null, null, null, local(lastFinished), bitRotFound.get());
    }

    private String local(Instant instant) {
        return instant == null ? null : Timestamps.local(instant, clock.getZone());
    }

    private final class Listener implements Reverifier.Listener {
        @Override
        public void progress(Reverifier.Pass pass) {
            state.verification(new WatcherSnapshot.Verification("verifying", settings.everyDays(),
                    settings.maxMbPerSecond(), pass.files(), pass.dueFiles(), pass.bytes(), pass.dueBytes(),
                    local(pass.startedAt()), local(lastFinished), bitRotFound.get()));
        }

        @Override
        public void bitRot(String displayPath, String expectedHash, String foundHash) {
            bitRotFound.incrementAndGet();
            String message = "bit rot in " + Text.escapeControls(displayPath) + ": its bytes changed while its size"
                    + " and mtime did not (indexed as sha256 " + expectedHash + ", now " + foundHash + "); the index"
                    + " keeps the recorded content. Restore the file from a backup, or index the new bytes with"
                    + " 'asset-index scan --rehash " + Text.escapeControls(displayPath) + "'";
            LOG.error("[verify] {}", message);
            state.error(message);
        }

        @Override
        public void changed(Path file) {
            changed.accept(file);
        }
    }
}
