package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.FileFailure;
import io.assetindex.store.InFlightFile;
import io.assetindex.store.IndexStore;
import io.assetindex.store.KnownPath;
import io.assetindex.store.LogEntry;
import io.assetindex.store.NewAsset;
import io.assetindex.store.PathRecord;
import io.assetindex.store.StoreException;
import io.assetindex.util.Json;
import io.assetindex.util.ProcessOwner;
import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Indexes one file: stat check, hash, dedupe, analyze, store.
 *
 * <p>Guarantees: a file is only stored under a hash of bytes that did not change while they
 * were read (size and mtime are compared before and after, and the byte count with the
 * size); every attempt except an unchanged stat writes one process_log row in the same
 * transaction as its results; a problem with the file is a {@code FAILED} outcome, never an
 * exception, and so is an unexpected error met on one file. Only a failing database throws
 * ({@link StoreException}).
 * Safe to call from several threads: at most as many files as there are {@link Turns} are hashed and
 * analysed at once; a file waiting for others (a batch of embeddings, a group commit, its derived
 * files reaching the disk) lends its turn meanwhile, so callers keep {@link #filesInFlight()} files
 * in flight. A file's log line is written once its outcome is committed.
 */
public final class FileIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(FileIndexer.class);
    static final String STAGE_STAT = "stat";
    static final String STAGE_READ = "read";
    static final String STAGE_HASH = "hash";
    static final String STAGE_WRITE = "write";
    /** Stages of {@link #times()} besides the analyzers'. */
    private static final String STAGE_SYNC = "sync";
    private static final String STAGE_RECORD = "record";
    /** The process died while analysing the file (see {@code CrashRecovery}). */
    public static final String STAGE_CRASH = "crash";
    private static final String DETAIL_LINKED = "new path for known content";

    private final IndexStore store;
    private final AnalyzerChain analyzers;
    private final Hasher hasher;
    private final Clock clock;
    private final Turns turns;
    private final StageTimes times;
    private final String pipeline;
    private final String owner = ProcessOwner.current();

    /** An indexer for files given one at a time (no turns to share). */
    public FileIndexer(IndexStore store, AnalyzerChain analyzers, Hasher hasher, Clock clock) {
        this(store, analyzers, hasher, clock, Turns.NONE);
    }

    public FileIndexer(IndexStore store, AnalyzerChain analyzers, Hasher hasher, Clock clock, Turns turns) {
        this.store = store;
        this.analyzers = analyzers;
        this.hasher = hasher;
        this.clock = clock;
        this.turns = turns;
        this.times = analyzers.times();
        this.pipeline = pipelineSettings(analyzers).configHash();
    }

    /** The CPU time indexing took so far, per stage: hash, each analyzer, sync, record. */
    public StageTimes times() {
        return times;
    }

    /** Files are about to be indexed: the analyzers start loading what they need (see {@link Analyzer#prepare()}). */
    public void prepare() {
        analyzers.inline().forEach(Analyzer::prepare);
    }

    /** How many files callers should keep in flight at once (see {@link Turns}). */
    public int filesInFlight() {
        return turns.filesInFlight();
    }

    /**
     * The settings of the analyzers that judge a new file together, whose hash a failure is
     * remembered with: a failure remembered under another one (other settings, another version)
     * is tried again. The text is {@code name=<config hash>,...} in chain order; the JSON maps
     * each name to its hash.
     */
    public static AnalyzerSettings pipelineSettings(AnalyzerChain analyzers) {
        ObjectNode json = Json.object();
        analyzers.inline().forEach(analyzer -> json.put(analyzer.name(), analyzer.configHash()));
        return new AnalyzerSettings(AnalyzerSettings.PIPELINE, String.join(",", analyzers.inline().stream()
                .map(analyzer -> analyzer.name() + "=" + analyzer.configHash()).toList()), Json.write(json));
    }

    /** The config hash of {@link #pipelineSettings}. */
    public String pipeline() {
        return pipeline;
    }

    /**
     * Indexes the file and writes its line to watcher.out.log.
     *
     * @param force hash even when size and mtime equal what the index recorded
     */
    public FileOutcome index(FileCandidate candidate, boolean force) {
        FileOutcome outcome = withTurn(candidate, () -> {
            try {
                return attemptIndex(candidate, force);
            } catch (StoreException e) {
                throw e;
            } catch (RuntimeException | StackOverflowError e) {
                // A bug met on this file must not stop the others: it becomes this file's failure.
                LOG.error("[watcher] internal error on {}", candidate.displayPath(), e);
                return new Attempt(candidate, clock.instant(), System.nanoTime()).failed(new FileProblem("internal",
                        "internal error (" + e.getClass().getSimpleName() + "); see .asset_index/logs/*.err.log",
                        true));
            }
        });
        EventLog.record(outcome);
        return outcome;
    }

    /** Runs one attempt holding a turn; a thread interrupted while it waits for one abandons the file. */
    private FileOutcome withTurn(FileCandidate candidate, Supplier<FileOutcome> attempt) {
        try {
            turns.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(candidate, clock.instant(), System.nanoTime()).outcome(FileOutcome.Kind.ABANDONED,
                    null, 0);
        }
        try {
            return attempt.get();
        } finally {
            turns.give();
        }
    }

    /**
     * Records that the process died while analysing this file, as it is now: a failure that stays
     * until the file changes (see {@code CrashRecovery}).
     */
    public FileOutcome failedByCrash(FileCandidate candidate, String contentHash, String reason) {
        FileOutcome outcome = withTurn(candidate, () -> {
            Attempt attempt = new Attempt(candidate, clock.instant(), System.nanoTime());
            try {
                attempt.stat = stat(candidate);
                return attempt.failed(new FileProblem(STAGE_CRASH, reason, contentHash, List.of(), false,
                        FileOutcome.Integrity.NONE));
            } catch (FileProblem problem) {
                return attempt.failed(problem);
            }
        });
        EventLog.record(outcome);
        return outcome;
    }

    private FileOutcome attemptIndex(FileCandidate candidate, boolean force) {
        Attempt attempt = new Attempt(candidate, clock.instant(), System.nanoTime());
        long cpu = StageTimes.now();
        try {
            BasicFileAttributes stat = stat(candidate);
            attempt.stat = stat;
            long sizeBytes = stat.size();
            long mtimeNs = stat.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            Optional<KnownPath> known = store.knownPath(candidate.root().name(), candidate.relPath());
            if (!force && known.isPresent() && known.get().unchanged(sizeBytes, mtimeNs)) {
                return attempt.outcome(FileOutcome.Kind.UNCHANGED, known.get().assetId(), 0);
            }
            if (sizeBytes == 0) {
                throw new FileProblem(STAGE_STAT, "empty file (0 bytes); it is indexed once it has content", false);
            }
            String contentHash = hashOfStableBytes(candidate, stat);
            times.add(STAGE_HASH, cpu);
            PathRecord path = new PathRecord(candidate.root().name(), candidate.relPath(),
                    candidate.file().toAbsolutePath().toString(), candidate.jobId(), contentHash, sizeBytes, mtimeNs);
            FileProblem.abandonIfInterrupted();
            if (known.isPresent() && !known.get().deleted() && contentHash.equals(known.get().assetId())) {
                return attempt.recordPath(FileOutcome.Kind.SKIPPED, path, "already indexed");
            }
            if (store.hasAsset(contentHash)) {
                return attempt.recordPath(FileOutcome.Kind.LINKED, path, DETAIL_LINKED);
            }
            try (IndexStore.AnalysisClaim claim = claim(contentHash)) {
                // Another watcher (or worker) analysed it meanwhile: it is not paid for twice.
                if (claim.waited() && store.hasAsset(contentHash)) {
                    return attempt.recordPath(FileOutcome.Kind.LINKED, path, DETAIL_LINKED);
                }
                return analyzeAndStore(candidate, attempt, path);
            }
        } catch (FileProblem problem) {
            return problem.abandoned() ? attempt.outcome(FileOutcome.Kind.ABANDONED, null, 0) : attempt.failed(problem);
        }
    }

    /**
     * Waits, without holding the turn, until no other file here or on another host is analysing the
     * same content (its claimer needs a turn again to finish, and the waiters must not hold them all).
     */
    private IndexStore.AnalysisClaim claim(String contentHash) throws FileProblem {
        try {
            return turns.without(() -> store.claimAnalysis(contentHash));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw FileProblem.ABANDONED;
        }
    }

    private static BasicFileAttributes stat(FileCandidate candidate) throws FileProblem {
        if (!FileNames.roundTrips(candidate.file())) {
            throw new FileProblem(STAGE_STAT, FileNames.undecodableReason(), false);
        }
        BasicFileAttributes stat;
        try {
            stat = Files.readAttributes(candidate.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new FileProblem(STAGE_STAT, "vanished before it could be read", true);
        } catch (IOException e) {
            throw new FileProblem(STAGE_STAT, "cannot read its attributes: " + describe(e), true);
        }
        if (!stat.isRegularFile()) {
            throw new FileProblem(STAGE_STAT, "is no longer a regular file", false);
        }
        return stat;
    }

    /** The hash of the file's bytes, provided they did not change (nor the file get replaced) while being read. */
    private String hashOfStableBytes(FileCandidate candidate, BasicFileAttributes before) throws FileProblem {
        try {
            Hasher.Result hash = hasher.hash(candidate.file());
            if (hash.bytesRead() != before.size() || !sameFile(before, restat(candidate))) {
                throw new FileProblem(STAGE_HASH, "changed while being hashed; it is indexed once it stops changing",
                        true);
            }
            return hash.sha256();
        } catch (ClosedByInterruptException e) {
            throw FileProblem.ABANDONED;
        } catch (NoSuchFileException e) {
            throw new FileProblem(STAGE_READ, "vanished while being read", true);
        } catch (AccessDeniedException e) {
            throw new FileProblem(STAGE_READ, "permission denied; make it readable by the user running asset-index",
                    true);
        } catch (IOException e) {
            throw new FileProblem(STAGE_READ, "read error: " + describe(e), true);
        }
    }

    private static BasicFileAttributes restat(FileCandidate candidate) throws IOException {
        return Files.readAttributes(candidate.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** Same size, mtime and file (inode): the bytes at this path are the ones read. */
    private static boolean sameFile(BasicFileAttributes before, BasicFileAttributes after) {
        return after.size() == before.size()
                && after.lastModifiedTime().to(TimeUnit.NANOSECONDS) == before.lastModifiedTime().to(TimeUnit.NANOSECONDS)
                && Objects.equals(after.fileKey(), before.fileKey());
    }

    private FileOutcome analyzeAndStore(FileCandidate candidate, Attempt attempt, PathRecord path) throws FileProblem {
        String contentHash = path.assetId();
        // Marked before the analysis and unmarked with its outcome: a file that brings the process
        // down is known after the restart (see CrashRecovery).
        InFlightFile mark = new InFlightFile(path.sourceRoot(), path.relPath(), candidate.displayPath(),
                path.sizeBytes(), path.mtimeNs(), contentHash, owner, false, 0);
        written(() -> {
            store.startAnalysis(mark);
            return null;
        });
        Analysis analysis = analyzers.run(new AnalysisInput(candidate.file(), candidate.mediaType(), path.sizeBytes(),
                contentHash, candidate.relPath(), candidate.jobId(), Json.object(), new HashMap<>()),
                cacheOf(store.cachedAnalyses(contentHash)), analyzers.inline(), turns);
        FileProblem.abandonIfInterrupted();
        stillTheFileHashed(candidate, attempt.stat);
        FileOutcome.Integrity integrity = IntegrityAnalyzer.verdict(analysis.raw());
        if (analysis.fatal() != null) {
            throw new FileProblem(analysis.fatal().analyzer(), analysis.fatal().reason(), contentHash,
                    analysis.computed(), analysis.fatal().transientFailure(), integrity);
        }
        for (Analysis.Failure failure : analysis.failures()) {
            LOG.warn("[{}] {}: {}", failure.analyzer(), candidate.displayPath(), failure.reason());
        }
        VectorGate.Passed passed = VectorGate.check(store, analysis, candidate.displayPath());
        FileProblem.abandonIfInterrupted();
        NewAsset asset = new NewAsset(contentHash, candidate.file().getFileName().toString(), path.absPath(),
                candidate.root().name(), candidate.jobId(), candidate.mediaType(), path.sizeBytes(),
                path.mtimeNs() / 1e9, passed.facts(), Json.write(passed.raw()));
        boolean partial = !analysis.failures().isEmpty() || passed.refusal() != null;
        FileOutcome indexed = attempt.outcome(FileOutcome.Kind.INDEXED, contentHash, path.sizeBytes(), partial,
                integrity);
        makeDurable(analysis, contentHash, integrity);
        boolean isNew = written(() -> store.recordNewAsset(asset, passed.computed(), passed.vector(), path,
                LogEntry.ok(indexed.displayPath(), contentHash, "new content", indexed.durationMs(), attempt.ranAt),
                LogEntry.ok(indexed.displayPath(), contentHash, DETAIL_LINKED, indexed.durationMs(), attempt.ranAt)));
        return isNew ? indexed
                : attempt.outcome(FileOutcome.Kind.LINKED, contentHash, path.sizeBytes(), false, integrity);
    }

    /** The results cached for one content, read at once, as the analyzer chain looks them up. */
    private static AnalyzerChain.Cache cacheOf(List<AnalysisRecord> cached) {
        return (contentHash, analyzer, configHash) -> cached.stream()
                .filter(record -> record.analyzer().equals(analyzer) && record.configHash().equals(configHash))
                .findFirst();
    }

    /** Writes to the index, which commits in groups (see {@link IndexStore}): the file's turn is lent meanwhile. */
    private <T> T written(Turns.Wait<T, RuntimeException> write) {
        return turns.without(() -> times.timed(STAGE_RECORD, write));
    }

    /**
     * Syncs the files the analyzers wrote (a thumbnail) before the results that name them are
     * recorded, without holding the turn: the syncs of the files in flight overlap.
     */
    private void makeDurable(Analysis analysis, String contentHash, FileOutcome.Integrity integrity)
            throws FileProblem {
        if (!WrittenFiles.any(analysis.scratch())) {
            return;
        }
        try {
            turns.without(() -> times.timed(STAGE_SYNC, () -> {
                WrittenFiles.sync(analysis.scratch());
                return null;
            }));
        } catch (IOException e) {
            throw new FileProblem(STAGE_WRITE, "cannot write what was made for it (a thumbnail) under .asset_index: "
                    + describe(e), contentHash, List.of(), true, integrity);
        }
    }

    /**
     * The analyzers read the file again by its path: if it was replaced or changed since it was
     * hashed, what they found may be another file's, which must not be stored under this hash.
     */
    private static void stillTheFileHashed(FileCandidate candidate, BasicFileAttributes hashed) throws FileProblem {
        boolean same;
        try {
            same = sameFile(hashed, restat(candidate));
        } catch (IOException e) {
            same = false;
        }
        if (!same) {
            throw new FileProblem(STAGE_STAT, "changed while being analysed; it is indexed once it stops changing",
                    true);
        }
    }

    /** Why this file cannot be indexed now; becomes its {@code failed} outcome, or {@code abandoned}. */
    private static final class FileProblem extends Exception {
        private static final long serialVersionUID = 1L;
        /** The thread was interrupted (the process is stopping): write nothing. */
        static final FileProblem ABANDONED = new FileProblem(null, "abandoned", false);

        final String stage;
        final String contentHash;
        /** What the analyzers found before the file was rejected (an integrity verdict), to keep. */
        final transient List<AnalysisRecord> analyses;
        /** The failure may pass without the file changing: it is tried again after a pause. */
        final boolean transientFailure;
        final FileOutcome.Integrity integrity;

        FileProblem(String stage, String reason, boolean transientFailure) {
            this(stage, reason, null, List.of(), transientFailure, FileOutcome.Integrity.NONE);
        }

        FileProblem(String stage, String reason, String contentHash, List<AnalysisRecord> analyses,
                boolean transientFailure, FileOutcome.Integrity integrity) {
            super(reason, null, false, false);
            this.stage = stage;
            this.contentHash = contentHash;
            this.analyses = List.copyOf(analyses);
            this.transientFailure = transientFailure;
            this.integrity = integrity;
        }

        boolean abandoned() {
            return this == ABANDONED;
        }

        static void abandonIfInterrupted() throws FileProblem {
            if (Thread.currentThread().isInterrupted()) {
                throw ABANDONED;
            }
        }
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message.lines().findFirst().orElse(message);
    }

    /** Times one attempt and builds its outcome. */
    private final class Attempt {
        private final FileCandidate candidate;
        private final Instant ranAt;
        private final long startNs;
        /** The file as it was when it was hashed; null until then. */
        BasicFileAttributes stat;

        Attempt(FileCandidate candidate, Instant ranAt, long startNs) {
            this.candidate = candidate;
            this.ranAt = ranAt;
            this.startNs = startNs;
        }

        FileOutcome outcome(FileOutcome.Kind kind, String contentHash, long bytesHashed) {
            return outcome(kind, contentHash, bytesHashed, false, FileOutcome.Integrity.NONE);
        }

        FileOutcome outcome(FileOutcome.Kind kind, String contentHash, long bytesHashed, boolean partial,
                FileOutcome.Integrity integrity) {
            long durationMs = (System.nanoTime() - startNs) / 1_000_000;
            return new FileOutcome(kind, candidate.displayPath(), contentHash, bytesHashed, durationMs, null, null,
                    partial, integrity);
        }

        /** Known content at this path or a new one: record the path and the attempt. */
        FileOutcome recordPath(FileOutcome.Kind kind, PathRecord path, String detail) {
            FileOutcome outcome = outcome(kind, path.assetId(), path.sizeBytes());
            LogEntry entry = kind == FileOutcome.Kind.SKIPPED
                    ? LogEntry.skipped(outcome.displayPath(), path.assetId(), detail, outcome.durationMs(), ranAt)
                    : LogEntry.ok(outcome.displayPath(), path.assetId(), detail, outcome.durationMs(), ranAt);
            written(() -> {
                store.recordPath(path, entry);
                return null;
            });
            return outcome;
        }

        FileOutcome failed(FileProblem problem) {
            long durationMs = (System.nanoTime() - startNs) / 1_000_000;
            FileOutcome outcome = new FileOutcome(FileOutcome.Kind.FAILED, candidate.displayPath(), problem.contentHash,
                    0, durationMs, problem.stage, problem.getMessage(), false, problem.integrity);
            // Remembered with the size and mtime it had, so rescans leave it alone while it stays so.
            FileFailure failure = new FileFailure(candidate.root().name(), candidate.relPath(),
                    stat == null ? -1 : stat.size(), stat == null ? 0 : stat.lastModifiedTime().to(TimeUnit.NANOSECONDS),
                    problem.contentHash, problem.stage, problem.getMessage(), pipeline, problem.transientFailure);
            LogEntry entry = LogEntry.failed(outcome.displayPath(), problem.contentHash, problem.stage,
                    problem.getMessage(), durationMs, ranAt);
            written(() -> {
                store.recordFailure(entry, problem.analyses, failure);
                return null;
            });
            return outcome;
        }
    }
}
