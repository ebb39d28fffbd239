package io.assetindex.watch;

import io.assetindex.MediaType;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.FileCandidate;
import io.assetindex.index.FileOutcome;
import io.assetindex.log.ProblemLog;
import io.assetindex.maintain.Reverifier;
import io.assetindex.scan.CrashRecovery;
import io.assetindex.scan.FailedFiles;
import io.assetindex.scan.Indexing;
import io.assetindex.scan.LeftOutReport;
import io.assetindex.scan.ScanListener;
import io.assetindex.scan.ScanOptions;
import io.assetindex.scan.ScanSummary;
import io.assetindex.scan.ScanTarget;
import io.assetindex.scan.TreeWalker;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherState;
import io.assetindex.store.IndexStore;
import io.assetindex.store.RunKind;
import io.assetindex.store.StoreException;
import io.assetindex.util.HeapTrim;
import io.assetindex.util.InotifyLimits;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watcher: keeps the index in step with the watch roots until {@link #stop()}.
 *
 * <p>It starts watching every root first (so nothing that changes during the start-up scan
 * is missed), scans every root once (the stat fast path makes an unchanged restart quick),
 * then hands debounced work to a pool of workers: changed files are indexed, gone paths are
 * marked deleted, folders are rescanned. Once a second it checks the roots (a missing root is
 * reported and picked up again when it returns; a root that disappears keeps its indexed
 * files), rescans polled roots when due, and writes state.json if anything changed.
 *
 * <p>Failure handling: one file's failure is that file's {@code failed} row; an event queue
 * overflow rescans the root with capped exponential backoff; a root that cannot be watched
 * (out of inotify watches) is rescanned periodically instead; a database that cannot be reached
 * (a PostgreSQL server restarting) holds all work until it answers again, said once when it goes
 * and once when it is back ({@link DatabaseOutage}); another database error is logged once per
 * problem and the work is retried later. Persistent problems are logged when they
 * start and change, not on every repeat. On {@link #stop()} it stops taking events, gives
 * files in flight a few seconds to finish, abandons the rest without writing, and writes the
 * {@code stopped} state.
 */
public final class WatchDaemon {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    /** How often due work is handed out; bounds the latency added to the quiet period. */
    static final Duration TICK = Duration.ofMillis(50);
    static final Duration HOUSEKEEPING = Duration.ofSeconds(1);
    /** Files in flight may finish within this after stop; the rest are abandoned. */
    static final Duration STOP_GRACE = Duration.ofSeconds(4);
    private static final Duration RETRY_AFTER_DATABASE_ERROR = Duration.ofSeconds(30);
    private static final Duration OVERFLOW_QUIET = Duration.ofMinutes(5);
    private static final Duration PROBLEM_REMINDER = Duration.ofMinutes(15);
    static final Duration RETENTION_PERIOD = Duration.ofDays(1);
    /** How often re-verification looks whether indexing has left the disk to it. */
    private static final Duration IDLE_POLL = Duration.ofMillis(20);
    private enum Mode { WATCHING, POLLING, MISSING }

    /** What the daemon tracks per root; guarded by the daemon's {@code roots} lock. */
    private static final class RootState {
        final WatchRoot root;
        Mode mode = Mode.MISSING;
        AutoCloseable watcher;
        Object fileKey;
        Instant nextPoll;
        boolean watchEnded;
        final Backoff overflowBackoff;
        Instant lastOverflow;
        /** An overflow rescan is waiting: further overflows until it runs add nothing. */
        boolean overflowRescanPending;
        /** A poll is waiting: the next one is counted from when it ran, not asked for again meanwhile. */
        boolean pollPending;

        RootState(WatchRoot root, Backoff overflowBackoff) {
            this.root = root;
            this.overflowBackoff = overflowBackoff;
        }
    }

    private final AppConfig config;
    private final List<WatchRoot> roots;
    private final IndexStore store;
    private final Indexing indexing;
    private final WatcherState state;
    private final StateFile stateFile;
    private final Clock clock;
    private final RootWatcher.Starter watchers;
    private final Debouncer debouncer;
    private final ProblemLog problems;
    private final DatabaseOutage outage;
    private final Map<String, RootState> rootStates = new HashMap<>();
    private final Set<String> polledRoots;

    private final ExecutorService workers;
    private final Semaphore slots;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService rescans;
    /** Re-analysis (AI enrichment, changed settings, missing results): long, so apart from rescans. */
    private final BackgroundPasses background;
    private final VerificationPasses verification;
    private final KeywordIndexMerging keywordMerging;
    private final AtomicBoolean rescanBusy = new AtomicBoolean();
    /** Retries of failed files asked for through the API, one at a time. */
    private final ExecutorService requeues;
    private final AtomicBoolean requeueBusy = new AtomicBoolean();
    private final ScheduledExecutorService housekeeping;
    private volatile boolean stopping;
    private volatile Thread runner;
    /** Set once {@link #run()} has begun to shut down: {@link #stop()} no longer interrupts it then. */
    private boolean shuttingDown; // guarded by stopLock
    private final Object stopLock = new Object();

    /**
     * @param roots what to watch: the configured roots, or the ones given on the command line
     */
    public WatchDaemon(AppConfig config, List<WatchRoot> roots, IndexStore store, WatcherState state,
            StateFile stateFile, Clock clock, Function<String, String> environment) {
        this(config, roots, store, state, stateFile, clock, environment, RootWatcher.Starter.NATIVE);
    }

    /**
     * @param environment reads environment variables (an embedding API's key)
     * @param watchers    starts watching a root (tests inject failures and events)
     */
    WatchDaemon(AppConfig config, List<WatchRoot> roots, IndexStore store, WatcherState state,
            StateFile stateFile, Clock clock, Function<String, String> environment, RootWatcher.Starter watchers) {
        this.config = config;
        this.roots = List.copyOf(roots);
        this.store = store;
        this.indexing = Indexing.create(config.withWatchRoots(roots), store, clock, environment);
        this.state = state;
        this.stateFile = stateFile;
        this.clock = clock;
        this.watchers = watchers;
        this.debouncer = new Debouncer(seconds(config.debounceSeconds()), seconds(config.debounceMaxSeconds()),
                config.maxPendingPaths(), System::nanoTime, WatchDaemon::stamp);
        this.problems = new ProblemLog(LOG, clock, PROBLEM_REMINDER);
        this.outage = new DatabaseOutage(LOG, clock, state::error);
        this.polledRoots = Set.copyOf(config.pollPaths());
        Duration quiet = Duration.ofMillis(Math.max(1000, (long) (config.debounceSeconds() * 1000)));
        for (WatchRoot root : this.roots) {
            rootStates.put(root.name(), new RootState(root, new Backoff(quiet, Duration.ofMinutes(5))));
        }
        // As many files in flight as the indexer wants (more than its turns: files waiting for a batch or a commit).
        this.workers = Executors.newFixedThreadPool(indexing.indexer().filesInFlight(), Threads.daemon("indexer"));
        this.slots = new Semaphore(indexing.indexer().filesInFlight());
        this.rescans = Executors.newSingleThreadExecutor(Threads.daemon("rescan"));
        this.requeues = Executors.newSingleThreadExecutor(Threads.daemon("requeue"));
        this.background = new BackgroundPasses(indexing.reanalyzer(), state, problems, outage, clock);
        this.verification = new VerificationPasses(new Reverifier(store.verification(), config.verify(),
                this::awaitIndexingIdle, clock), store, this.roots.stream().map(WatchRoot::name).toList(),
                config.verify(), state, problems, outage, clock, this::changedBehindIndex);
        this.keywordMerging = new KeywordIndexMerging(store, outage, clock);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(Threads.daemon("housekeeping"));
        state.queueDepth(() -> debouncer.size() + inFlight.get());
        state.aiUsage(() -> indexing.ai().usageMap());
    }

    /** Runs until {@link #stop()}; returns once everything is stopped and state.json says so. */
    public void run() {
        runner = Thread.currentThread();
        try {
            writeState();
            synchronized (rootStates) {
                rootStates.values().forEach(this::startRoot);
            }
            housekeeping.scheduleWithFixedDelay(this::housekeep, HOUSEKEEPING.toMillis(), HOUSEKEEPING.toMillis(),
                    TimeUnit.MILLISECONDS);
            housekeeping.scheduleWithFixedDelay(new ProcessLogRetention(store, config.processLogRetentionDays(), outage,
                    clock),
                    Duration.ofMinutes(1).toMillis(), RETENTION_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            state.phase(WatcherState.Phase.SCANNING);
            writeState();
            scanOnStartOrAfterOutage();
            if (!stopping) {
                background.start();
                verification.start();
                state.phase(WatcherState.Phase.WATCHING);
                writeState();
                LOG.info("[watcher] watching {}", roots.stream().map(WatchRoot::name).toList());
                dispatchUntilStopped();
            }
        } finally {
            synchronized (stopLock) {
                shuttingDown = true;
            }
            Thread.interrupted(); // the interrupt that woke us is handled; the waits below must work
            shutDown();
        }
    }

    /**
     * Reports a failure of database work done beside the daemon (the heartbeat); returns whether it
     * means the database cannot be reached, which then starts (or is part of) the daemon's outage.
     */
    public boolean databaseFailed(StoreException failure) {
        return outage.lost(failure);
    }

    /** Whether a background pass (re-analysis, AI enrichment) is running; see {@link BackgroundPasses#running()}. */
    boolean backgroundPassRunning() {
        return background.running();
    }

    /** Asks {@link #run()} to stop; returns at once. */
    public void stop() {
        stopping = true;
        // The run may see the flag, stop and begin shutting down before the interrupt: one that came then
        // would cut the shutdown's own waits and writes (state.json's fsync failed so, once in a test).
        synchronized (stopLock) {
            Thread thread = runner;
            if (thread != null && !shuttingDown) {
                thread.interrupt();
            }
        }
    }

    /**
     * Tries again what failed, as {@code requeue} does, in the background: the files whose last
     * attempt failed and are still there are read and indexed again, and a re-analysis pass
     * (which also retries what analyzers gave up on) runs now or after the running one. Returns
     * at once with what was started; nothing when a requeue is still running.
     */
    public FailedFiles.Requeued requeue() {
        FailedFiles failed = FailedFiles.find(config, store);
        if (stopping || !requeueBusy.compareAndSet(false, true)) {
            return new FailedFiles.Requeued(false, failed.failedBefore(), 0, failed.gone(), "none");
        }
        LOG.info("[watcher] requeue asked for: {} failed files, {} still there to try again", failed.failedBefore(),
                failed.present().size());
        try {
            requeues.execute(() -> {
                try {
                    FailedFiles.Retried retried = failed.retry(config, indexing, new ScanListener() {
                        @Override
                        public void finished(FileOutcome outcome, long sizeBytes) {
                            report(outcome);
                        }
                    });
                    LOG.info("[watcher] requeue: {} indexed, {} failed again, {} gone", retried.indexed(),
                            retried.failed(), retried.gone());
                } catch (StoreException e) {
                    if (!outage.lost(e)) {
                        problems.problem("database", "[watcher] requeue: " + e.getMessage(), e);
                    }
                } catch (RuntimeException e) {
                    LOG.error("[watcher] requeue failed", e);
                } finally {
                    requeueBusy.set(false);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            requeueBusy.set(false);
            return new FailedFiles.Requeued(false, failed.failedBefore(), 0, failed.gone(), "none");
        }
        String reanalysis = background.requeue() ? "started" : "queued";
        return new FailedFiles.Requeued(true, failed.failedBefore(), failed.present().size(), failed.gone(), reanalysis);
    }

    /**
     * The start-up scan; when the database goes away during it, each watch path is rescanned
     * once it is back (the files scanned so far stay indexed, and the rescan skips them).
     */
    private void scanOnStartOrAfterOutage() {
        try {
            scanOnStart();
        } catch (StoreException e) {
            if (stopping || !outage.lost(e)) {
                throw e;
            }
            state.scanDone();
            synchronized (rootStates) {
                rootStates.values().stream().filter(root -> root.mode != Mode.MISSING)
                        .forEach(root -> debouncer.rescan(root.root, root.root.dir(), 0));
            }
        }
    }

    private void scanOnStart() {
        CrashRecovery.Summary recovered = indexing.crashRecovery().run();
        if (recovered.retried() + recovered.failed() > 0) {
            LOG.warn("[watcher] files in flight when the previous run stopped: {} analysed again on their own, {}"
                    + " recorded as failed (they stopped the process twice)", recovered.retried(), recovered.failed());
        }
        List<ScanTarget> present = new ArrayList<>();
        synchronized (rootStates) {
            for (RootState root : rootStates.values()) {
                if (root.mode != Mode.MISSING) {
                    present.add(ScanTarget.wholeRoot(root.root));
                }
            }
        }
        ScanListener progress = new ScanListener() {
            private final AtomicLong done = new AtomicLong();
            private volatile long total;

            @Override
            public void planned(long found, long toProcess, long bytes) {
                LOG.info("[watcher] scan-on-start: {} files", found);
                total = toProcess;
                state.scanProgress(0, toProcess);
            }

            @Override
            public void finished(FileOutcome outcome, long sizeBytes) {
                report(outcome);
                state.scanProgress(done.incrementAndGet(), total);
            }
        };
        ScanSummary summary = indexing.scanner().scan(RunKind.SCAN_ON_START, present, ScanOptions.SCAN, progress);
        state.scanDone();
        HeapTrim.JVM.after("the start-up scan", summary.seen()); // its known paths: 250 MB at a million
        LOG.info("[watcher] scan-on-start done: {}", summary.line());
        LeftOutReport leftOut = LeftOutReport.of(summary.leftOut(), config.mediaTypeByExtension());
        if (leftOut.files() > 0) {
            LOG.info("[watcher] left out (extension not indexed): {}{}", leftOut.listing(),
                    leftOut.advice() == null ? "" : "; " + leftOut.advice());
        }
        reportHolds(present.stream().map(ScanTarget::root).toList(), summary);
    }

    /**
     * Reports the watch paths whose deletions a whole scan held back (once, while it lasts), and
     * those whose hold a scan ended.
     */
    private void reportHolds(List<WatchRoot> scanned, ScanSummary summary) {
        for (WatchRoot root : scanned) {
            List<String> held = summary.held().stream()
                    .filter(line -> line.startsWith(root.name() + ":") || line.startsWith(root.name() + "/")).toList();
            String key = "held " + root.name();
            if (held.isEmpty()) {
                problems.resolved(key, "[watcher] " + root.name() + " holds its indexed files again; deletions there"
                        + " are no longer held back");
                continue;
            }
            String message = String.join("; ", held) + ": nothing there is marked deleted (an unmounted disk?) until"
                    + " the files come back, or 'asset-index scan --confirm-deletes " + root.name()
                    + "' confirms that they are gone";
            problems.problem(key, "[watcher] " + message);
            state.error(message);
        }
    }

    /**
     * Hands due work to the workers as fast as they take it: asks for as many files as there
     * are free slots (at least one, then waits in {@link #dispatch} for a slot), and sleeps a
     * tick only when nothing is due.
     */
    private void dispatchUntilStopped() {
        while (!stopping) {
            if (outage.active() && !outage.probeIfDue(store.database()::ping, this::heldWork)) {
                try {
                    Thread.sleep(TICK.toMillis()); // work waits (and keeps arriving) until the database is back
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            List<Debouncer.Work> due = debouncer.due(Math.max(1, slots.availablePermits()), !rescanBusy.get());
            try {
                if (due.isEmpty()) {
                    Thread.sleep(TICK.toMillis());
                }
                for (Debouncer.Work work : due) {
                    dispatch(work);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void dispatch(Debouncer.Work work) throws InterruptedException {
        if (work.kind() == Debouncer.Kind.RESCAN) {
            rescanBusy.set(true);
            rescans.execute(() -> {
                try {
                    guarded(work, () -> rescan(work.root(), work.path()));
                } finally {
                    rescanBusy.set(false);
                }
            });
            return;
        }
        slots.acquire();
        inFlight.incrementAndGet();
        workers.execute(() -> {
            try {
                guarded(work, () -> {
                    if (work.kind() == Debouncer.Kind.FILE) {
                        indexFile(work.root(), work.path());
                    } else {
                        settleGone(work.root(), work.path());
                    }
                });
            } finally {
                inFlight.decrementAndGet();
                slots.release();
            }
        });
    }

    /** What waited for the database, for the line that says it is back. */
    private String heldWork() {
        int files = debouncer.paths() + inFlight.get();
        int folders = debouncer.size() - debouncer.paths();
        return "the " + files + (files == 1 ? " file" : " files") + " that arrived meanwhile"
                + (folders > 0 ? ", and rescanning " + folders + (folders == 1 ? " folder" : " folders") : "");
    }

    /**
     * Runs one piece of work; a database failure is logged once and the work is tried again later:
     * at once when the database is back from an outage, else after a while.
     */
    private void guarded(Debouncer.Work work, Runnable action) {
        try {
            action.run();
            problems.resolved("database", "[watcher] the index database works again");
        } catch (StoreException e) {
            if (!stopping && outage.lost(e)) {
                debouncer.retry(work, 0);
            } else if (!stopping) {
                problems.problem("database", "[watcher] " + e.getMessage() + "; will retry", e);
                state.error(e.getMessage());
                debouncer.retry(work, RETRY_AFTER_DATABASE_ERROR.toNanos());
            }
        } catch (RuntimeException e) {
            LOG.error("[watcher] internal error on {}", work.path(), e);
        }
    }

    private void indexFile(WatchRoot root, Path file) {
        String relative = root.relativeName(file);
        Optional<MediaType> type = indexing.filter().mediaTypeOf(Path.of(relative));
        if (type.isEmpty() || stopping) {
            return;
        }
        report(indexing.indexer().index(new FileCandidate(root, file, relative, type.get(), 0, 0), false));
    }

    /** A path that may be gone: still there means it changed; really gone means its paths are deleted. */
    private void settleGone(WatchRoot root, Path path) {
        if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            indexFile(root, path);
            return;
        }
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            debouncer.rescan(root, path, 0);
            return;
        }
        if (!Files.isDirectory(root.dir()) || indexing.scanner().unmounted(root).isPresent()) {
            return; // the root itself is gone or unmounted: keep what was indexed there until it returns
        }
        String relative = root.relativeName(path);
        int deleted = store.markGone(root.name(), relative);
        if (deleted > 0) {
            LOG.info("[watcher] deleted {} ({} indexed {})", root.displayPath(relative), deleted,
                    deleted == 1 ? "path" : "paths");
        }
    }

    private void rescan(WatchRoot root, Path dir) {
        if (dir.equals(root.dir())) {
            synchronized (rootStates) {
                RootState rootState = rootStates.get(root.name());
                rootState.overflowRescanPending = false;
                if (rootState.pollPending) {
                    rootState.pollPending = false;
                    rootState.nextPoll = clock.instant().plus(pollInterval());
                }
            }
        }
        if (!Files.isDirectory(dir)) {
            if (!dir.equals(root.dir())) {
                settleGone(root, dir);
            }
            return;
        }
        ScanSummary summary = indexing.scanner().scan(RunKind.RESCAN, List.of(new ScanTarget(root, dir)),
                ScanOptions.RESCAN, new ScanListener() {
                    @Override
                    public void finished(FileOutcome outcome, long sizeBytes) {
                        report(outcome);
                    }
                });
        if (dir.equals(root.dir()) || !summary.held().isEmpty()) {
            reportHolds(List.of(root), summary);
        }
        LOG.info("[watcher] rescanned {}: {}", root.displayPath(root.relativeName(dir)).replaceFirst("/$", ""),
                summary.line());
    }

    private void report(FileOutcome outcome) {
        switch (outcome.kind()) {
            case INDEXED, LINKED -> {
                state.processed(outcome.displayPath());
                if (outcome.partial()) {
                    background.fileIncomplete();
                } else if (outcome.kind() == FileOutcome.Kind.INDEXED) {
                    background.indexedNewContent();
                }
            }
            case SKIPPED -> state.skipped(outcome.displayPath());
            case FAILED -> state.failed(outcome.displayPath(), outcome.error());
            default -> { }
        }
    }

    // Roots

    /** Starts watching (or polling) a root, or records it as missing. Call with {@code rootStates} held. */
    private void startRoot(RootState root) {
        WatchRoot watchRoot = root.root;
        root.watchEnded = false;
        if (!Files.isDirectory(watchRoot.dir())) {
            markMissing(root);
            return;
        }
        root.fileKey = fileKey(watchRoot.dir());
        if (polledRoots.contains(watchRoot.name())) {
            poll(root, "polling");
            return;
        }
        try {
            root.watcher = watchers.start(watchRoot, indexing.filter(), TreeWalker.realPaths(indexing.neverEnter()), new Events());
            root.mode = Mode.WATCHING;
            state.root(watchRoot.name(), "watching");
            problems.resolved("watch " + watchRoot.name(), "[watcher] watching " + watchRoot.name() + " again");
        } catch (IOException e) {
            fallBackToPolling(root, e);
        }
    }

    private void poll(RootState root, String status) {
        root.mode = Mode.POLLING;
        root.nextPoll = clock.instant().plus(pollInterval());
        state.root(root.root.name(), status);
    }

    private void fallBackToPolling(RootState root, IOException cause) {
        closeWatcher(root);
        String name = root.root.name();
        Optional<String> limit = InotifyLimits.explain(cause, name);
        String message = limit.orElse("cannot watch " + name + ": " + cause.getMessage())
                + "; rescanning it every " + (long) config.pollIntervalSeconds() + " s instead";
        problems.problem("watch " + name, "[watcher] " + message, limit.isPresent() ? null : cause);
        state.error(message);
        poll(root, "polling (cannot watch)");
    }

    private void markMissing(RootState root) {
        closeWatcher(root);
        root.mode = Mode.MISSING;
        String name = root.root.name();
        String message = "watch path " + name + " is missing (" + root.root.dir()
                + "); its indexed files are kept, and it is scanned again when it appears";
        problems.problem("missing " + name, "[watcher] " + message);
        state.error(message);
        state.root(name, "missing");
    }

    private void closeWatcher(RootState root) {
        if (root.watcher != null) {
            try {
                root.watcher.close();
            } catch (Exception e) {
                LOG.debug("closing the watcher of {}", root.root.name(), e);
            }
            root.watcher = null;
        }
    }

    /** Once a second: roots that came, went or were replaced; polled roots; state.json. */
    private void housekeep() {
        try {
            synchronized (rootStates) {
                rootStates.values().forEach(this::checkRoot);
            }
            if (!stopping && !outage.active()) {
                background.tick();
                verification.tick();
                // Not before the start-up scan is done, nor beside a background pass or files to index.
                keywordMerging.tick(state.phase() == WatcherState.Phase.WATCHING && !background.running()
                        && !indexingBusy());
            }
            writeStateIfChanged();
        } catch (RuntimeException e) {
            LOG.error("[watcher] housekeeping failed", e);
        }
    }

    private void checkRoot(RootState root) {
        WatchRoot watchRoot = root.root;
        boolean present = Files.isDirectory(watchRoot.dir());
        Instant now = clock.instant();
        if (root.mode == Mode.MISSING) {
            if (present) {
                problems.resolved("missing " + watchRoot.name(), "[watcher] watch path " + watchRoot.name()
                        + " is back; rescanning it");
                startRoot(root);
                debouncer.rescan(watchRoot, watchRoot.dir(), 0);
            }
            return;
        }
        if (!present) {
            markMissing(root);
            return;
        }
        if (root.mode == Mode.WATCHING && (root.watchEnded || !Objects.equals(root.fileKey, fileKey(watchRoot.dir())))) {
            LOG.info("[watcher] watch path {} was replaced (remounted?); watching and rescanning it again", watchRoot.name());
            closeWatcher(root);
            startRoot(root);
            debouncer.rescan(watchRoot, watchRoot.dir(), 0);
            return;
        }
        if (root.mode == Mode.POLLING && !root.pollPending && !now.isBefore(root.nextPoll)) {
            // Asked once and counted from when it runs: asking again while it waits would restart
            // its quiet period, and with polls more frequent than the quiet period it would never run.
            root.pollPending = true;
            debouncer.rescan(watchRoot, watchRoot.dir(), 0);
        }
        if (root.lastOverflow != null && Duration.between(root.lastOverflow, now).compareTo(OVERFLOW_QUIET) > 0) {
            root.lastOverflow = null;
            root.overflowBackoff.reset();
            problems.resolved("overflow " + watchRoot.name(), "[watcher] no more event overflows for " + watchRoot.name());
        }
    }

    /** Events from the root watchers, on their threads. */
    private final class Events implements RootWatcher.Sink {
        @Override
        public void fileChanged(WatchRoot root, Path file) {
            debouncer.changed(root, file);
        }

        @Override
        public void gone(WatchRoot root, Path path) {
            debouncer.gone(root, path);
        }

        @Override
        public void overflow(WatchRoot root) {
            Duration delay;
            synchronized (rootStates) {
                RootState rootState = rootStates.get(root.name());
                rootState.lastOverflow = clock.instant();
                if (rootState.overflowRescanPending) {
                    return;
                }
                rootState.overflowRescanPending = true;
                delay = rootState.overflowBackoff.next();
            }
            problems.problem("overflow " + root.name(), "[watcher] the OS dropped file events for " + root.name()
                    + " (event queue overflow); rescanning it, with pauses growing up to 5 min while this lasts");
            LOG.debug("[watcher] overflow rescan of {} in {}", root.name(), delay);
            debouncer.rescan(root, root.dir(), delay.toNanos());
        }

        @Override
        public void failed(WatchRoot root, IOException cause) {
            synchronized (rootStates) {
                RootState rootState = rootStates.get(root.name());
                if (rootState.mode == Mode.WATCHING) {
                    fallBackToPolling(rootState, cause);
                }
            }
            debouncer.rescan(root, root.dir(), 0);
        }

        @Override
        public void ended(WatchRoot root) {
            synchronized (rootStates) {
                rootStates.get(root.name()).watchEnded = true;
            }
        }
    }

    /**
     * Returns when no file waits to be indexed (re-verification reads only then): a dropped file
     * waits for at most one MiB of verification reading.
     */
    private void awaitIndexingIdle() throws InterruptedException {
        while (indexingBusy()) {
            Thread.sleep(IDLE_POLL.toMillis());
        }
    }

    /** Whether a file waits to be indexed or a rescan is running. */
    private boolean indexingBusy() {
        return debouncer.size() + inFlight.get() > 0 || rescanBusy.get();
    }

    /** Re-verification found a file whose size or mtime differ from the index: it goes through the pipeline. */
    private void changedBehindIndex(Path file) {
        config.rootContaining(file).filter(roots::contains).ifPresent(root -> debouncer.changed(root, file));
    }

    // State and shutdown

    private void writeStateIfChanged() {
        if (state.changedSinceSnapshot() || debouncer.size() + inFlight.get() > 0) {
            writeState();
        }
    }

    private void writeState() {
        try {
            stateFile.write(state.snapshot());
            problems.resolved("state.json", "[watcher] " + stateFile.path() + " is written again");
        } catch (IOException e) {
            problems.problem("state.json", "[watcher] cannot write " + stateFile.path() + ": " + e.getMessage(), e);
        }
    }

    private void shutDown() {
        state.phase(WatcherState.Phase.STOPPING);
        writeState();
        LOG.info("[watcher] stopping");
        housekeeping.shutdownNow();
        synchronized (rootStates) {
            rootStates.values().forEach(this::closeWatcher);
        }
        rescans.shutdownNow();
        requeues.shutdownNow();
        ExecutorService passes = background.shutdownNow();
        ExecutorService verifying = verification.shutdownNow();
        workers.shutdown();
        awaitOrAbandon(workers, STOP_GRACE);
        awaitOrAbandon(rescans, Duration.ZERO);
        awaitOrAbandon(requeues, Duration.ZERO);
        awaitOrAbandon(passes, Duration.ZERO);
        awaitOrAbandon(verifying, Duration.ZERO);
        awaitTermination(housekeeping);
        state.phase(WatcherState.Phase.STOPPED);
        writeState();
    }

    /** Gives the pool {@code grace} to finish, then interrupts it (abandoning files) and waits for that. */
    private static void awaitOrAbandon(ExecutorService pool, Duration grace) {
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        awaitTermination(pool);
    }

    private static void awaitTermination(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("[watcher] some work did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Helpers

    private Duration pollInterval() {
        return Duration.ofMillis((long) (config.pollIntervalSeconds() * 1000));
    }

    private static long seconds(double seconds) {
        return (long) (seconds * 1e9);
    }

    private static Debouncer.Stamp stamp(Path file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new Debouncer.Stamp(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS));
        } catch (IOException e) {
            return null;
        }
    }

    private static Object fileKey(Path dir) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(dir, BasicFileAttributes.class);
            return attributes.fileKey() != null ? attributes.fileKey() : attributes.creationTime();
        } catch (IOException e) {
            return null;
        }
    }

}
