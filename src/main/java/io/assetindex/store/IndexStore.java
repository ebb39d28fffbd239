package io.assetindex.store;

import io.assetindex.MediaType;
import io.assetindex.util.ProcessOwner;
import io.assetindex.util.Timestamps;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the indexing pipeline reads and writes. What each {@code record*} method and
 * {@link #startAnalysis} write for one file is stored together or not at all: the asset, its path,
 * its analysis results, its vector, the process_log row of the attempt and the end of its in-flight
 * mark. Files indexed at the same time share a transaction (see {@link GroupCommit}), each in a
 * savepoint of its own; a method returns once its writes are committed.
 */
public final class IndexStore implements AutoCloseable {
    /** How stale a path's last_seen_at may get before a scan that sees the path rewrites it. */
    public static final Duration SEEN_RESOLUTION = Duration.ofHours(1);

    private final IndexDatabase database;
    private final GroupCommit perFile;
    private final Clock clock;
    private final AssetRepository assets = new AssetRepository();
    private final PathRepository paths = new PathRepository();
    private final ProcessLogRepository processLog = new ProcessLogRepository();
    private final AnalysisCacheRepository analysisCache = new AnalysisCacheRepository();
    private final VectorRepository vectors = new VectorRepository();
    private final FailureRepository failures = new FailureRepository();
    private final InFlightRepository inFlight = new InFlightRepository();
    private final VolumeRepository volumes = new VolumeRepository();
    private final ChangeRepository changes = new ChangeRepository();
    private final LeftOutRepository leftOut = new LeftOutRepository();
    private final RunHistoryRepository runs = new RunHistoryRepository();
    private final KeywordIndex keywords = new KeywordIndex();
    private final String process = ProcessOwner.current();
    private final ConfigSnapshotRepository configSnapshots = new ConfigSnapshotRepository();
    private final AnalysisClaims claims;

    /** The claim on a content's analysis ({@link #claimAnalysis}); closing it lets others have it. */
    public interface AnalysisClaim extends AutoCloseable {
        /** Whether another claimed the content first and this one waited for it to finish. */
        boolean waited();

        @Override
        default void close() {}
    }

    public IndexStore(IndexDatabase database, Clock clock) {
        this.database = database;
        this.perFile = new GroupCommit(database);
        this.clock = clock;
        this.claims = new AnalysisClaims(database);
    }

    /**
     * Claims the analysis of a content before paying for it (see {@link AnalysisClaims}): returns once no
     * other claim on it is held, here or on another host. When it {@link AnalysisClaim#waited() waited},
     * the content is likely indexed now: ask {@link #hasAsset} before analysing. Hold it until the
     * asset (or the failure) is recorded.
     *
     * @throws InterruptedException when the thread is interrupted while waiting (the file is abandoned)
     */
    public AnalysisClaim claimAnalysis(String contentHash) throws InterruptedException {
        return claims.claim(contentHash);
    }

    /** Opens the database at {@code file}; see {@link IndexDatabase#open}. */
    public static IndexStore open(Path file, int maxConnections, Clock clock) {
        return new IndexStore(IndexDatabase.open(file, maxConnections, clock), clock);
    }

    public IndexDatabase database() {
        return database;
    }

    /** The machine whose paths this store reads and writes as its own (config {@code host_name}). */
    public String host() {
        return database.host();
    }

    /** What re-verification reads and records (paths due, bit rot found). */
    public VerificationLedger verification() {
        return new VerificationLedger(database);
    }

    /** The integrity decisions kept by content (acceptances, verdicts judged again). */
    public IntegrityLedger integrity() {
        return new IntegrityLedger(database);
    }

    /** The paths recorded under a folder of a root ("" for the whole root, else ending in "/"), by relative path. */
    public Map<String, RecordedPath> knownPaths(String sourceRoot, String relPrefix) {
        return known(sourceRoot, relPrefix).paths();
    }

    /** The paths recorded under a folder of a root, as a walk of that folder needs them (see {@link KnownPaths}). */
    public KnownPaths known(String sourceRoot, String relPrefix) {
        Map<String, RecordedPath> known = new HashMap<>();
        PathRepository.KnownRead read = database.read(c -> paths.knownUnder(c, host(), sourceRoot, relPrefix, null,
                null, known));
        return new KnownPaths(known, 0, read.oldestLiveSeen());
    }

    /**
     * A page of the live paths of a root: up to {@code limit} after {@code afterRelPath} ("" for the
     * first page), by relative path. Paging through a root holds one page at a time however many it has.
     */
    public List<KnownPath> livePaths(String sourceRoot, String afterRelPath, int limit) {
        return database.read(c -> paths.livePage(c, host(), sourceRoot, afterRelPath, limit));
    }

    /** How many live paths a root has and their bytes: {count, bytes}. */
    public long[] liveTotals(String sourceRoot) {
        return database.read(c -> paths.liveTotals(c, host(), sourceRoot));
    }

    /** The remembered failures under a folder of a root ("" for the whole root, else ending in "/"). */
    public Map<String, KnownFailure> knownFailures(String sourceRoot, String relPrefix) {
        return database.read(c -> failures.under(c, host(), sourceRoot, relPrefix));
    }

    /** Forgets the remembered failures of these paths (gone from disk). */
    public void forgetFailures(String sourceRoot, Collection<String> relPaths) {
        if (!relPaths.isEmpty()) {
            database.write(c -> {
                failures.forget(c, host(), sourceRoot, relPaths);
                return null;
            });
        }
    }

    /** How many files the index remembers as failed. */
    public long countFailures() {
        return database.read(failures::count);
    }

    /** Marks a file as being analysed by this process; its outcome's transaction removes the mark. */
    public void startAnalysis(InFlightFile file) {
        perFile.write(c -> {
            inFlight.start(c, host(), file, clock.instant());
            return null;
        });
    }

    /** Every file marked as being analysed, by running processes and by dead ones. */
    public List<InFlightFile> filesInFlight() {
        return database.read(c -> inFlight.all(c, host()));
    }

    /** Takes over a file left in flight by a dead process; false when another process took it first. */
    public boolean claimInFlight(InFlightFile left, String owner, int crashes) {
        return database.write(c -> inFlight.claim(c, host(), left, owner, crashes));
    }

    /** Drops a file left in flight that is not to be analysed again (gone, or no longer under a watch path). */
    public void forgetInFlight(InFlightFile file) {
        database.write(c -> {
            inFlight.finish(c, host(), file.sourceRoot(), file.relPath());
            return null;
        });
    }

    public Optional<KnownPath> knownPath(String sourceRoot, String relPath) {
        return database.read(c -> paths.find(c, host(), sourceRoot, relPath));
    }

    public boolean hasAsset(String id) {
        return database.read(c -> assets.exists(c, id));
    }

    public Optional<AnalysisRecord> cachedAnalysis(String assetId, String analyzer, String configHash) {
        return database.read(c -> analysisCache.find(c, assetId, analyzer, configHash));
    }

    /** Every result cached for a content, by any analyzer under any settings (one query for a file's analysis). */
    public List<AnalysisRecord> cachedAnalyses(String assetId) {
        return database.read(c -> analysisCache.allFor(c, assetId));
    }

    /**
     * Known content at a path (the same one, or a new one): record the path and the attempt, and end
     * the path's in-flight mark if it has one (a file left in flight by a dead process whose content
     * was indexed from another path meanwhile).
     */
    public void recordPath(PathRecord path, LogEntry entry) {
        perFile.write(c -> {
            paths.upsert(c, host(), path, entry.ranAt());
            processLog.insert(c, entry);
            failures.forget(c, host(), path.sourceRoot(), List.of(path.relPath()));
            inFlight.finish(c, host(), path.sourceRoot(), path.relPath());
            return null;
        });
    }

    /**
     * New content: the asset, what each analyzer returned, its vector (or null), the path and the attempt. If the
     * same content was stored meanwhile (two copies processed at once), the existing asset is
     * kept, only the path is added, and the attempt is recorded as {@code ifKnown}.
     *
     * @return whether the asset was new
     */
    public boolean recordNewAsset(NewAsset asset, List<AnalysisRecord> analyses, VectorRecord vector, PathRecord path,
            LogEntry ifNew, LogEntry ifKnown) {
        return perFile.write(c -> {
            boolean inserted = assets.insertIfAbsent(c, asset, ifNew.ranAt());
            if (inserted) {
                for (AnalysisRecord analysis : analyses) {
                    analysisCache.put(c, asset.id(), analysis, ifNew.ranAt());
                }
                if (vector != null) {
                    vectors.store(c, asset.id(), vector, ifNew.ranAt());
                }
            }
            paths.upsert(c, host(), path, ifNew.ranAt());
            processLog.insert(c, inserted ? ifNew : ifKnown);
            failures.forget(c, host(), path.sourceRoot(), List.of(path.relPath()));
            inFlight.finish(c, host(), path.sourceRoot(), path.relPath());
            return inserted;
        });
    }

    /**
     * A file that could not be indexed: the attempt, the failure remembered for the file as it
     * is (so that rescans do not read it again while it stays so; null when there is nothing to
     * remember), and what analyzers found before it was rejected (kept in the cache under its
     * content hash, so the same bytes are judged again without running them, and the verdict can
     * be queried). Its in-flight mark goes in the same transaction.
     */
    public void recordFailure(LogEntry entry, List<AnalysisRecord> analyses, FileFailure failure) {
        perFile.write(c -> {
            for (AnalysisRecord analysis : analyses) {
                analysisCache.put(c, entry.contentHash(), analysis, entry.ranAt());
            }
            processLog.insert(c, entry);
            if (failure != null) {
                failures.record(c, host(), failure, entry.ranAt());
                inFlight.finish(c, host(), failure.sourceRoot(), failure.relPath());
            }
            return null;
        });
    }

    /**
     * Assets lacking a current result of {@code analyzer} (see {@link StaleAsset}), a page at a
     * time; with {@code retryGivenUp}, also those whose result records that it gave up (a model
     * whose answers could not be used).
     */
    public List<StaleAsset> staleAssets(String analyzer, String configHash, Collection<MediaType> types,
            boolean retryGivenUp, String afterId, int limit) {
        return database.read(c -> assets.stale(c, analyzer, configHash, types, retryGivenUp, afterId, limit));
    }

    /** Those of these assets that {@link #staleAssets} would list, in the order of their ids. */
    public List<StaleAsset> staleAssetsAmong(String analyzer, String configHash, Collection<MediaType> types,
            boolean retryGivenUp, Collection<String> ids) {
        return database.read(c -> assets.staleAmong(c, analyzer, configHash, types, retryGivenUp, ids));
    }

    /** The paths (as shown, relative to the workspace) whose latest attempt failed. */
    public List<String> failedPaths() {
        return database.read(processLog::failedPaths);
    }

    public long countStaleAssets(String analyzer, String configHash, Collection<MediaType> types,
            boolean retryGivenUp) {
        return database.read(c -> assets.countStale(c, analyzer, configHash, types, retryGivenUp));
    }

    /**
     * New results for an existing asset, in one transaction: the cache rows, and the asset's
     * facts and raw_json rebuilt from every current result.
     */
    public void recordReanalysis(String assetId, List<AnalysisRecord> computed, Map<AssetColumn, Object> facts,
            String rawJson, VectorRecord vector) {
        Instant now = clock.instant();
        database.write(c -> {
            for (AnalysisRecord analysis : computed) {
                analysisCache.put(c, assetId, analysis, now);
            }
            assets.updateFacts(c, assetId, facts, rawJson);
            if (vector != null) {
                vectors.store(c, assetId, vector, now);
            }
            return null;
        });
    }

    /** The dimension the index expects of vectors made under this embedder config, if it holds any yet. */
    public Optional<Integer> vectorDimension(String configHash) {
        return database.read(c -> vectors.modelFor(c, configHash).map(EmbeddingModel::dimension));
    }

    /** Swaps in the vectors of the model being built (call once every asset has one). */
    public void promoteVectors(String configHash) {
        Instant now = clock.instant();
        database.write(c -> {
            vectors.promote(c, configHash, now);
            return null;
        });
    }

    /**
     * The paths recorded under a whole root, as {@code known(sourceRoot, "")}, after following the
     * root to a new place (the workspace was moved, a disk mounted elsewhere): the absolute paths
     * recorded under {@code sourceRoot} are rewritten for {@code rootDir}. Identity is (root,
     * relative path), so nothing is hashed or analysed again. The read of the paths tells whether
     * any moved, so a root that did not move is read once and nothing is written (rewriting a
     * million unchanged rows took 45 s of a watcher's start).
     */
    public KnownPaths knownFollowing(String sourceRoot, Path rootDir) {
        Placement placement = Placement.of(rootDir);
        Map<String, RecordedPath> known = new HashMap<>();
        PathRepository.KnownRead read = database.read(c -> paths.knownUnder(c, host(), sourceRoot, "",
                placement.prefix(), placement.separator(), known));
        int moved = read.elsewhere() == 0 ? 0 : database.write(c -> relocate(c, sourceRoot, placement));
        return new KnownPaths(known, moved, read.oldestLiveSeen());
    }

    /**
     * The recorded paths a walk compares its files with, read once before it.
     *
     * @param paths          by relative path, deleted ones included
     * @param moved          how many were rewritten for their root's new place ({@link #knownFollowing})
     * @param oldestLiveSeen the oldest last_seen_at of the live ones, as stored (null: none is live),
     *                       for {@link #markSeen} after the walk
     */
    public record KnownPaths(Map<String, RecordedPath> paths, int moved, String oldestLiveSeen) {}

    /** A root's folder as recorded absolute paths begin: the folder and its separator. */
    private record Placement(String prefix, String separator) {
        static Placement of(Path rootDir) {
            String separator = rootDir.getFileSystem().getSeparator();
            String prefix = rootDir.toAbsolutePath().normalize().toString();
            return new Placement(prefix.endsWith(separator) ? prefix : prefix + separator, separator);
        }
    }

    private int relocate(Connection c, String sourceRoot, Placement placement) throws SQLException {
        return paths.relocate(c, host(), sourceRoot, placement.prefix(), placement.separator());
    }

    /** Every watch root name the index records paths under, configured now or not. */
    public List<String> sourceRoots() {
        return database.read(c -> paths.sourceRoots(c, host()));
    }

    /**
     * A watch root configured under a new name (its absolute path changed: another mount point,
     * another OS) takes over the paths recorded under its old name, in one transaction, with
     * their absolute paths rewritten for {@code rootDir}.
     */
    public void renameRoot(String from, String to, Path rootDir) {
        database.write(c -> {
            paths.renameRoot(c, host(), from, to);
            return relocate(c, to, Placement.of(rootDir));
        });
    }

    /**
     * A page of the files {@code analyzer} wrote for the assets of the index, by its cached results: up
     * to {@code limit} after {@code after} (null for the first page), in a stable order.
     */
    public List<DerivedFile> derivedFiles(String analyzer, DerivedFile after, int limit) {
        return database.read(c -> analysisCache.derivedFiles(c, analyzer, after, limit));
    }

    /**
     * Forgets one cached result, so the analyzer runs again for that asset on the next re-analysis
     * (a running watcher's next look at what changed: the asset is named in the change feed).
     */
    public void forgetAnalysis(DerivedFile file) {
        database.write(c -> {
            analysisCache.delete(c, file.assetId(), file.analyzer(), file.configHash());
            changes.assetChanged(c, file.assetId());
            return null;
        });
    }

    /**
     * Marks paths that are gone from disk; returns how many were live. A path recorded (or seen)
     * since {@code walkStarted} is left alone: another process indexed it while the walk that did
     * not find it went on.
     */
    public int markDeleted(String sourceRoot, Collection<String> relPaths, Instant walkStarted) {
        if (relPaths.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        return database.write(c -> {
            failures.forget(c, host(), sourceRoot, relPaths);
            return paths.markDeleted(c, host(), sourceRoot, relPaths, now, walkStarted);
        });
    }

    /** How many segments the keyword index is made of (0 where it is not SQLite's FTS5); see {@link #mergeKeywordIndex}. */
    public int keywordIndexSegments() {
        return database.read(keywords::segments);
    }

    /**
     * One step of merging the keyword index's segments into one, in a transaction of its own that
     * writes about {@code pages} pages (4 KiB each), so indexing never waits long; returns whether
     * there was anything left to merge. Searches by words visit every segment.
     */
    public boolean mergeKeywordIndex(int pages) {
        return database.write(c -> keywords.mergeStep(c, pages));
    }

    /**
     * Deletes the process_log rows that ran before {@code before}, a few thousand per
     * transaction, so indexing is never kept waiting long; returns how many.
     */
    public long trimProcessLog(Instant before) {
        return inBatches(c -> processLog.deleteOldest(c, before, 5_000));
    }

    /**
     * Deletes the change-feed rows recorded before {@code before} (the readers of the feed are
     * running services, seconds behind at most; one that fell further behind reloads), a few
     * thousand per transaction; returns how many.
     */
    public long trimChanges(Instant before) {
        return inBatches(c -> changes.trim(c, before, 5_000));
    }

    /**
     * Runs a deletion of a batch of rows, each batch its own transaction, until one deletes nothing
     * or the thread is interrupted; returns how many rows in all.
     */
    private long inBatches(IndexDatabase.SqlWork<Integer> batch) {
        long deleted = 0;
        int rows;
        do {
            rows = database.write(batch);
            deleted += rows;
        } while (rows > 0 && !Thread.currentThread().isInterrupted());
        return deleted;
    }

    /** The volumes this host recorded under a watch path (itself, and mount points below it), by prefix. */
    public Map<String, Volume> volumes(String sourceRoot) {
        return database.read(c -> volumes.under(c, host(), sourceRoot));
    }

    /** Every volume of this host whose deletions are held back, with its watch path's name, oldest hold first. */
    public List<Map.Entry<String, Volume>> heldVolumes() {
        return database.read(c -> volumes.held(c, host()));
    }

    /**
     * Records what a whole walk of a volume found; with a {@code heldReason}, its deletions are held
     * back (and its device and files as recorded before are kept, so it is recognised when it returns).
     */
    public void recordVolume(String sourceRoot, String relPrefix, String device, long files, String heldReason) {
        Instant now = clock.instant();
        database.write(c -> {
            volumes.record(c, host(), sourceRoot, relPrefix, device, files, heldReason, now);
            return null;
        });
    }

    /** Forgets a mount point below a watch path that is no longer there. */
    public void forgetVolume(String sourceRoot, String relPrefix) {
        database.write(c -> {
            volumes.forget(c, host(), sourceRoot, relPrefix);
            return null;
        });
    }

    /** Records what a whole walk of a watch path left out because of extensions, in place of the last walk's. */
    public void recordLeftOut(String sourceRoot, LeftOut files) {
        Instant now = clock.instant();
        database.write(c -> {
            leftOut.record(c, host(), sourceRoot, files, now);
            return null;
        });
    }

    /**
     * Records in the scan history that a run of {@code kind} by this process starts now; returns the
     * id to give {@link #runFinished}. A run that never gets there (its process was killed) keeps no
     * end, and the history shows it as not finished once its process is gone.
     *
     * @param paths the watch paths, or folders in them, it covers, as shown (relative to the workspace)
     */
    public long runStarted(RunKind kind, List<String> paths) {
        Instant now = clock.instant();
        return database.write(c -> runs.start(c, kind, host(), ProcessHandle.current().pid(), process,
                paths, now));
    }

    /**
     * Records the end of a run: what it counted (null when it failed before counting), how it ended,
     * and notes for people (null for none). A run ends once; a second end is ignored.
     */
    public void runFinished(long runId, RunCounts counts, RunOutcome outcome, String notes) {
        Instant now = clock.instant();
        database.write(c -> {
            runs.finish(c, runId, counts, outcome, notes, now);
            return null;
        });
    }

    /**
     * Runs {@code run} as a run of {@code kind} in the scan history: started before it, finished after
     * it with its counts, {@link RunOutcome#INTERRUPTED} when the thread was interrupted meanwhile (the
     * process is stopping), or {@link RunOutcome#FAILED} with the error when it throws (then rethrown).
     */
    public <T extends RunResult> T runInHistory(RunKind kind, List<String> paths, Supplier<T> run) {
        long runId = runStarted(kind, paths);
        T result;
        try {
            result = run.get();
        } catch (RuntimeException | Error e) {
            try {
                uninterrupted(() -> runFinished(runId, null, RunOutcome.FAILED,
                        e.getMessage() == null ? e.toString() : e.getMessage()));
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        RunOutcome outcome = Thread.currentThread().isInterrupted() ? RunOutcome.INTERRUPTED : RunOutcome.OK;
        uninterrupted(() -> runFinished(runId, result.runCounts(), outcome, result.runNotes()));
        return result;
    }

    /**
     * Writes on a thread that may be interrupted (the process is stopping): the pool refuses an
     * interrupted thread a connection when none is idle. The interrupt is kept for the caller.
     */
    private static void uninterrupted(Runnable write) {
        boolean interrupted = Thread.interrupted();
        try {
            write.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Deletes the runs of the scan history that started before {@code before}, a few thousand per transaction. */
    public long trimRunHistory(Instant before) {
        return inBatches(c -> runs.deleteOldest(c, before, 5_000));
    }

    /** Records the settings behind config hashes, in one transaction; a hash the index knows keeps its first record. */
    public int recordConfigSnapshots(Collection<ConfigSnapshot> snapshots) {
        return database.write(c -> configSnapshots.record(c, snapshots));
    }

    /** Marks the file at {@code relPath}, or everything below the folder at it, as deleted; returns how many paths. */
    public int markGone(String sourceRoot, String relPath) {
        Instant now = clock.instant();
        return database.write(c -> {
            failures.forgetUnder(c, host(), sourceRoot, relPath);
            return paths.markGoneUnder(c, host(), sourceRoot, relPath, now);
        });
    }

    /**
     * Records that every live path under {@code sourceRoot} below {@code relPrefix} ("" for the
     * whole root, else ending in "/") was seen now, by a complete walk of that folder.
     * last_seen_at is refreshed only when it is older than {@link #SEEN_RESOLUTION}, so that
     * re-scanning an unchanged tree writes nothing.
     *
     * @param before the paths there as read before the walk
     */
    public int markSeen(String sourceRoot, String relPrefix, KnownPaths before) {
        Instant now = clock.instant();
        Instant staleBefore = now.minus(SEEN_RESOLUTION);
        // last_seen_at only grows: when the oldest live one read before the walk is recent, no row is stale
        // and the update would read every row of the root for nothing (seconds at a million).
        if (before.oldestLiveSeen() == null || before.oldestLiveSeen().compareTo(Timestamps.stored(staleBefore)) >= 0) {
            return 0;
        }
        return database.write(c -> paths.markSeen(c, host(), sourceRoot, relPrefix, now, staleBefore));
    }

    @Override
    public void close() {
        try {
            claims.close();
        } finally {
            database.close();
        }
    }
}
