package io.assetindex.scan;

import io.assetindex.config.WatchRoot;
import io.assetindex.index.FileCandidate;
import io.assetindex.index.FileIndexer;
import io.assetindex.index.FileOutcome;
import io.assetindex.index.OutcomeCounts;
import io.assetindex.store.IndexStore;
import io.assetindex.store.KnownFailure;
import io.assetindex.store.RecordedPath;
import io.assetindex.store.RunKind;
import io.assetindex.store.StoreException;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the index in step with what is on disk, once.
 *
 * <p>Walks each target, skips files whose size and mtime match the index (the stat fast
 * path: no hashing) and, per {@link ScanOptions}, files that failed before and did not change,
 * indexes the rest on a pool of workers, then marks indexed paths that are gone as deleted.
 * Deletes go last, and never under a missing root, an unreadable folder or a volume that looks
 * unmounted or emptied ({@link VolumeGuard}), so an unmounted disk does not empty the index; nor
 * for a file that is there after all (indexed by another process after the walk passed its
 * folder). At most {@link FileIndexer#filesInFlight()} files are in flight (of which the
 * indexer's turns bound how many are hashed and analysed at once), so memory does not grow with the
 * number of files to hash. What a whole walk of a watch path left out because of extensions is
 * recorded for {@code status} and {@code doctor}.
 */
public final class Scanner {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    private final IndexStore store;
    private final FileIndexer indexer;
    private final TreeWalker walker;
    private final MediaFilter filter;
    private final MovedRoots movedRoots;
    private final VolumeGuard volumes;
    private final Clock clock;
    /** The configured watch paths' names: walks of other folders (given to scan) record no left-out count. */
    private final Set<String> watchPaths;
    /** The watch paths whose place was checked (see {@link #walk}). */
    private final Set<String> rootsFollowed = ConcurrentHashMap.newKeySet();

    Scanner(IndexStore store, FileIndexer indexer, TreeWalker walker, MediaFilter filter, MovedRoots movedRoots,
            Set<String> watchPaths, Clock clock) {
        this.store = store;
        this.indexer = indexer;
        this.walker = walker;
        this.filter = filter;
        this.movedRoots = movedRoots;
        this.volumes = new VolumeGuard(store);
        this.clock = clock;
        this.watchPaths = Set.copyOf(watchPaths);
    }

    /**
     * A walked target, what the index knew under it before the walk, and when the walk started.
     *
     * @param failures the remembered failures under it
     */
    private record Walked(ScanTarget target, TreeWalker.Result result, IndexStore.KnownPaths known,
            Map<String, KnownFailure> failures, Instant startedAt) {}

    /**
     * {@link #scan(List, ScanOptions, ScanListener)} as a run of {@code kind} in the scan history,
     * which shows it while it runs and what it counted once it ends.
     */
    public ScanSummary scan(RunKind kind, List<ScanTarget> targets, ScanOptions options, ScanListener listener) {
        return store.runInHistory(kind, targets.stream().map(ScanTarget::shown).toList(),
                () -> scan(targets, options, listener));
    }

    /** @throws StoreException when the database fails; the files done so far stay indexed */
    public ScanSummary scan(List<ScanTarget> targets, ScanOptions options, ScanListener listener) {
        long startNs = System.nanoTime();
        Instant now = clock.instant();
        List<String> missingRoots = new ArrayList<>();
        List<Walked> walked = new ArrayList<>();
        List<FileCandidate> work = new ArrayList<>();
        long seen = 0;
        long unchanged = 0;
        long failedBefore = 0;
        long bytesToHash = 0;
        LeftOutCounter leftOut = new LeftOutCounter();
        for (ScanTarget target : targets) {
            Walked w = walk(target, options.rehash(), missingRoots);
            if (w == null) {
                continue;
            }
            walked.add(w);
            leftOut.addAll(w.result().leftOut());
            recordLeftOut(w);
            seen += w.result().unchanged().size();
            unchanged += w.result().unchanged().size();
            for (FileCandidate file : w.result().files()) {
                seen++;
                RecordedPath known = w.known().paths().get(file.relPath());
                if (!options.rehash() && known != null && known.unchanged(file.sizeBytes(), file.mtimeNs())) {
                    unchanged++; // known since the walk: a watch path found at a new place took its old paths over
                } else if (leaveAlone(w.failures().get(file.relPath()), file, options, now)) {
                    failedBefore++;
                } else {
                    work.add(file);
                    bytesToHash += file.sizeBytes();
                }
            }
        }
        listener.planned(seen, work.size(), bytesToHash);
        OutcomeCounts counts = indexAll(work, options.rehash(), listener);
        work.clear();
        long deleted = 0;
        List<String> held = new ArrayList<>();
        if (!Thread.currentThread().isInterrupted()) { // stopping: a partial scan proves nothing gone
            for (Walked w : walked) {
                deleted += recordGone(w, options, held);
            }
        }
        return new ScanSummary(seen, counts.get(FileOutcome.Kind.INDEXED), counts.get(FileOutcome.Kind.LINKED),
                counts.get(FileOutcome.Kind.SKIPPED), unchanged + counts.get(FileOutcome.Kind.UNCHANGED),
                counts.get(FileOutcome.Kind.FAILED), failedBefore, deleted, counts.get(FileOutcome.Integrity.CORRUPT),
                counts.get(FileOutcome.Integrity.WARNINGS), counts.bytesHashed(),
                (System.nanoTime() - startNs) / 1e9, missingRoots, held, leftOut.result());
    }

    /**
     * Records what a whole walk of a watch path left out, in place of the last one's. A walk of a
     * folder in it says nothing about the rest, and one of a folder outside every watch path (or of
     * a watch path that could not be read) nothing about a watch path: they record nothing.
     */
    private void recordLeftOut(Walked w) {
        ScanTarget target = w.target();
        if (target.relPrefix().isEmpty() && watchPaths.contains(target.root().name())
                && !w.result().unreadableDirs().contains("")) {
            store.recordLeftOut(target.root().name(), w.result().leftOut());
        }
    }

    /** Why the deletions under a watch path are held back now, when it looks unmounted (see {@link VolumeGuard}). */
    public Optional<String> unmounted(WatchRoot root) {
        return volumes.unmounted(root);
    }

    /** Whether a file that failed before is left alone this time (see {@link ScanOptions}). */
    private boolean leaveAlone(KnownFailure failure, FileCandidate file, ScanOptions options, Instant now) {
        if (failure == null || options.rehash()) {
            return false;
        }
        if (options.retryFailures() && !CrashRecovery.STAGE.equals(failure.stage())) {
            return false;
        }
        return failure.stillFailing(file.sizeBytes(), file.mtimeNs(), indexer.pipeline(), now);
    }

    /** @param rehash every file is to be read again: none is taken as unchanged */
    private Walked walk(ScanTarget target, boolean rehash, List<String> missingRoots) {
        if (!Files.isDirectory(target.root().dir())) {
            missingRoots.add(target.root().name());
            LOG.warn("[watcher] watch root {} is missing ({}); its indexed files are kept until it returns",
                    target.root().name(), target.root().dir());
            return null;
        }
        try {
            WatchRoot root = target.root();
            // A watch path's place cannot change while the process runs: whether the index must
            // follow it to a new place is checked on its first whole scan only (rescans are frequent).
            boolean firstWholeScan = target.start().equals(root.dir()) && rootsFollowed.add(root.name());
            Instant startedAt = clock.instant();
            IndexStore.KnownPaths before = firstWholeScan ? store.knownFollowing(root.name(), root.dir())
                    : store.known(root.name(), target.relPrefix());
            if (before.moved() > 0) {
                LOG.info("[watcher] watch path {} is now at {}: {} indexed paths follow it, nothing is read again",
                        root.name(), root.dir(), before.moved());
            }
            Map<String, RecordedPath> recorded = before.paths();
            TreeWalker.Result result = walker.walk(root, target.start(), rehash ? TreeWalker.KnownFiles.NONE
                    : (relPath, sizeBytes, mtimeNs) -> {
                        RecordedPath path = recorded.get(relPath);
                        return path != null && path.unchanged(sizeBytes, mtimeNs) ? path.relPath() : null;
                    });
            IndexStore.KnownPaths known = before;
            if (firstWholeScan && recorded.isEmpty() && !result.files().isEmpty()) {
                Optional<String> previous = movedRoots.previousName(root, result.files(), result.files().size());
                if (previous.isPresent()) {
                    store.renameRoot(previous.get(), root.name(), root.dir());
                    known = store.known(root.name(), "");
                    LOG.info("[watcher] watch path {} holds the files indexed under {}, which is gone: {} indexed"
                            + " paths follow it, nothing is read again", root.name(), previous.get(),
                            known.paths().size());
                }
            }
            return new Walked(target, result, known, store.knownFailures(root.name(), target.relPrefix()), startedAt);
        } catch (NoSuchFileException e) {
            LOG.warn("[watcher] {} vanished before it could be scanned", target.start());
        } catch (IOException e) {
            LOG.warn("[watcher] cannot scan {}: {}", target.start(), e.getMessage());
        }
        return null;
    }

    private OutcomeCounts indexAll(List<FileCandidate> work, boolean force, ScanListener listener) {
        OutcomeCounts counts = new OutcomeCounts();
        if (work.isEmpty()) {
            return counts;
        }
        indexer.prepare();
        int files = indexer.filesInFlight();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(files, work.size()), Threads.daemon("scan"));
        Semaphore inFlight = new Semaphore(files);
        AtomicReference<StoreException> fatal = new AtomicReference<>();
        try {
            for (FileCandidate file : work) {
                inFlight.acquire();
                if (fatal.get() != null) {
                    break;
                }
                pool.execute(() -> {
                    try {
                        FileOutcome outcome = indexer.index(file, force);
                        counts.add(outcome);
                        listener.finished(outcome, file.sizeBytes());
                    } catch (StoreException e) {
                        fatal.compareAndSet(null, e);
                    } finally {
                        inFlight.release();
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            pool.shutdown();
            awaitWorkers(pool);
        }
        if (fatal.get() != null) {
            throw fatal.get();
        }
        return counts;
    }

    /**
     * Marks known live paths under the target that the walk did not find as deleted, except under
     * unreadable folders and held volumes, and except files that are there after all; records the
     * rest as seen; forgets the failures of files that are gone.
     *
     * @param held collects the holds, as lines for people
     */
    private int recordGone(Walked w, ScanOptions options, List<String> held) {
        WatchRoot root = w.target().root();
        String prefix = w.target().relPrefix();
        List<String> unreadable = w.result().unreadableDirs();
        if (unreadable.contains("") || unreadable.contains(prefix)) {
            return 0;
        }
        Set<String> found = new HashSet<>(w.result().unchanged());
        for (FileCandidate file : w.result().files()) {
            found.add(file.relPath());
        }
        List<RecordedPath> live = w.known().paths().values().stream().filter(path -> !path.deleted()).toList();
        List<String> keep = new ArrayList<>(unreadable);
        for (VolumeGuard.Hold hold : volumes.check(w.target(), w.result(), live, found, options.confirmDeletes())) {
            keep.add(hold.relPrefix());
            held.add(hold.shown() + ": " + hold.reason());
        }
        List<String> gone = new ArrayList<>();
        for (RecordedPath known : live) {
            String rel = known.relPath();
            if (rel.startsWith(prefix) && !found.contains(rel) && keep.stream().noneMatch(rel::startsWith)
                    && !stillThere(root, rel)) {
                gone.add(rel);
            }
        }
        int deleted = store.markDeleted(root.name(), gone, w.startedAt());
        store.markSeen(root.name(), prefix, w.known());
        store.forgetFailures(root.name(), w.failures().keySet().stream()
                .filter(rel -> !found.contains(rel) && keep.stream().noneMatch(rel::startsWith)
                        && !stillThere(root, rel)).toList());
        return deleted;
    }

    /** A file the walk missed that is there now and would be indexed: created after the walk passed its folder. */
    private boolean stillThere(WatchRoot root, String relPath) {
        return filter.mediaTypeOf(Path.of(relPath)).isPresent()
                && Files.isRegularFile(root.dir().resolve(relPath), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Waits for the files in flight. When this thread is interrupted (the process is stopping),
     * the workers are interrupted too, so each file in flight finishes or is abandoned without a
     * write, and this still waits for them: nothing may write after the scan returns.
     */
    private static void awaitWorkers(ExecutorService pool) {
        boolean interrupted = Thread.interrupted();
        if (interrupted) {
            pool.shutdownNow();
        }
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
                LOG.info("[watcher] still waiting for files in progress");
            } catch (InterruptedException e) {
                interrupted = true;
                pool.shutdownNow();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
