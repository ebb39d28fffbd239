package io.assetindex.index;

import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.IndexStore;
import io.assetindex.store.KnownPath;
import io.assetindex.store.LogEntry;
import io.assetindex.store.NewAsset;
import io.assetindex.store.PathRecord;
import io.assetindex.store.StoreException;
import io.assetindex.util.Json;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * Safe to call from several threads.
 */
public final class FileIndexer {
    private static final Logger LOG = LoggerFactory.getLogger(FileIndexer.class);
    static final String STAGE_STAT = "stat";
    static final String STAGE_READ = "read";
    static final String STAGE_HASH = "hash";
    private static final String DETAIL_LINKED = "new path for known content";

    private final IndexStore store;
    private final AnalyzerChain analyzers;
    private final Hasher hasher;
    private final Clock clock;

    public FileIndexer(IndexStore store, AnalyzerChain analyzers, Hasher hasher, Clock clock) {
        this.store = store;
        this.analyzers = analyzers;
        this.hasher = hasher;
        this.clock = clock;
    }

    /**
     * Indexes the file and writes its line to watcher.out.log.
     *
     * @param force hash even when size and mtime equal what the index recorded
     */
    public FileOutcome index(FileCandidate candidate, boolean force) {
        FileOutcome outcome;
        try {
            outcome = attemptIndex(candidate, force);
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            // A bug met on this file must not stop the others: it becomes this file's failure.
            LOG.error("[watcher] internal error on {}", candidate.displayPath(), e);
            outcome = new Attempt(candidate, clock.instant(), System.nanoTime()).failed("internal",
                    null, "internal error (" + e.getClass().getSimpleName() + "); see watcher.err.log");
        }
        EventLog.record(outcome);
        return outcome;
    }

    private FileOutcome attemptIndex(FileCandidate candidate, boolean force) {
        Attempt attempt = new Attempt(candidate, clock.instant(), System.nanoTime());
        try {
            BasicFileAttributes stat = stat(candidate);
            long sizeBytes = stat.size();
            long mtimeNs = stat.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            Optional<KnownPath> known = store.knownPath(candidate.root().name(), candidate.relPath());
            if (!force && known.isPresent() && known.get().unchanged(sizeBytes, mtimeNs)) {
                return attempt.outcome(FileOutcome.Kind.UNCHANGED, known.get().assetId(), 0);
            }
            if (sizeBytes == 0) {
                throw new FileProblem(STAGE_STAT, "empty file (0 bytes); it is indexed once it has content");
            }
            String contentHash = hashOfStableBytes(candidate, sizeBytes, mtimeNs);
            PathRecord path = new PathRecord(candidate.root().name(), candidate.relPath(),
                    candidate.file().toAbsolutePath().toString(), candidate.jobId(), contentHash, sizeBytes, mtimeNs);
            FileProblem.abandonIfInterrupted();
            if (known.isPresent() && !known.get().deleted() && contentHash.equals(known.get().assetId())) {
                return attempt.recordPath(FileOutcome.Kind.SKIPPED, path, "already indexed");
            }
            if (store.hasAsset(contentHash)) {
                return attempt.recordPath(FileOutcome.Kind.LINKED, path, DETAIL_LINKED);
            }
            return analyzeAndStore(candidate, attempt, path);
        } catch (FileProblem problem) {
            return problem.abandoned()
                    ? attempt.outcome(FileOutcome.Kind.ABANDONED, null, 0)
                    : attempt.failed(problem.stage, problem.contentHash, problem.getMessage(), problem.analyses);
        }
    }

    private static BasicFileAttributes stat(FileCandidate candidate) throws FileProblem {
        if (!FileNames.roundTrips(candidate.file())) {
            throw new FileProblem(STAGE_STAT, FileNames.undecodableReason());
        }
        BasicFileAttributes stat;
        try {
            stat = Files.readAttributes(candidate.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw new FileProblem(STAGE_STAT, "vanished before it could be read");
        } catch (IOException e) {
            throw new FileProblem(STAGE_STAT, "cannot read its attributes: " + describe(e));
        }
        if (!stat.isRegularFile()) {
            throw new FileProblem(STAGE_STAT, "is no longer a regular file");
        }
        return stat;
    }

    /** The hash of the file's bytes, provided they did not change while being read. */
    private String hashOfStableBytes(FileCandidate candidate, long sizeBytes, long mtimeNs) throws FileProblem {
        try {
            Hasher.Result hash = hasher.hash(candidate.file());
            BasicFileAttributes after =
                    Files.readAttributes(candidate.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (after.size() != sizeBytes || hash.bytesRead() != sizeBytes
                    || after.lastModifiedTime().to(TimeUnit.NANOSECONDS) != mtimeNs) {
                throw new FileProblem(STAGE_HASH, "changed while being hashed; it is indexed once it stops changing");
            }
            return hash.sha256();
        } catch (ClosedByInterruptException e) {
            throw FileProblem.ABANDONED;
        } catch (NoSuchFileException e) {
            throw new FileProblem(STAGE_READ, "vanished while being read");
        } catch (AccessDeniedException e) {
            throw new FileProblem(STAGE_READ, "permission denied; make it readable by the user running asset-index");
        } catch (IOException e) {
            throw new FileProblem(STAGE_READ, "read error: " + describe(e));
        }
    }

    private FileOutcome analyzeAndStore(FileCandidate candidate, Attempt attempt, PathRecord path) throws FileProblem {
        String contentHash = path.assetId();
        Analysis analysis = analyzers.run(new AnalysisInput(candidate.file(), candidate.mediaType(), path.sizeBytes(),
                contentHash, candidate.relPath(), candidate.jobId(), Json.object(), new HashMap<>()), store::cachedAnalysis,
                analyzers.inline());
        if (analysis.fatal() != null) {
            FileProblem.abandonIfInterrupted();
            throw new FileProblem(analysis.fatal().analyzer(), analysis.fatal().reason(), contentHash,
                    analysis.computed());
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
        FileOutcome indexed = attempt.outcome(FileOutcome.Kind.INDEXED, contentHash, path.sizeBytes(), partial);
        boolean isNew = store.recordNewAsset(asset, passed.computed(), passed.vector(), path,
                LogEntry.ok(indexed.displayPath(), contentHash, "new content", indexed.durationMs(), attempt.ranAt),
                LogEntry.ok(indexed.displayPath(), contentHash, DETAIL_LINKED, indexed.durationMs(), attempt.ranAt));
        return isNew ? indexed : attempt.outcome(FileOutcome.Kind.LINKED, contentHash, path.sizeBytes());
    }

    /** Why this file cannot be indexed now; becomes its {@code failed} outcome, or {@code abandoned}. */
    private static final class FileProblem extends Exception {
        private static final long serialVersionUID = 1L;
        /** The thread was interrupted (the process is stopping): write nothing. */
        static final FileProblem ABANDONED = new FileProblem(null, "abandoned");

        final String stage;
        final String contentHash;
        /** What the analyzers found before the file was rejected (an integrity verdict), to keep. */
        final transient List<AnalysisRecord> analyses;

        FileProblem(String stage, String reason) {
            this(stage, reason, null, List.of());
        }

        FileProblem(String stage, String reason, String contentHash, List<AnalysisRecord> analyses) {
            super(reason, null, false, false);
            this.stage = stage;
            this.contentHash = contentHash;
            this.analyses = List.copyOf(analyses);
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

        Attempt(FileCandidate candidate, Instant ranAt, long startNs) {
            this.candidate = candidate;
            this.ranAt = ranAt;
            this.startNs = startNs;
        }

        FileOutcome outcome(FileOutcome.Kind kind, String contentHash, long bytesHashed) {
            return outcome(kind, contentHash, bytesHashed, false);
        }

        FileOutcome outcome(FileOutcome.Kind kind, String contentHash, long bytesHashed, boolean partial) {
            long durationMs = (System.nanoTime() - startNs) / 1_000_000;
            return new FileOutcome(kind, candidate.displayPath(), contentHash, bytesHashed, durationMs, null, null,
                    partial);
        }

        /** Known content at this path or a new one: record the path and the attempt. */
        FileOutcome recordPath(FileOutcome.Kind kind, PathRecord path, String detail) {
            FileOutcome outcome = outcome(kind, path.assetId(), path.sizeBytes());
            LogEntry entry = kind == FileOutcome.Kind.SKIPPED
                    ? LogEntry.skipped(outcome.displayPath(), path.assetId(), detail, outcome.durationMs(), ranAt)
                    : LogEntry.ok(outcome.displayPath(), path.assetId(), detail, outcome.durationMs(), ranAt);
            store.recordPath(path, entry);
            return outcome;
        }

        FileOutcome failed(String stage, String contentHash, String error) {
            return failed(stage, contentHash, error, List.of());
        }

        FileOutcome failed(String stage, String contentHash, String error, List<AnalysisRecord> analyses) {
            long durationMs = (System.nanoTime() - startNs) / 1_000_000;
            FileOutcome outcome = new FileOutcome(FileOutcome.Kind.FAILED, candidate.displayPath(), contentHash, 0,
                    durationMs, stage, error, false);
            store.recordFailure(LogEntry.failed(outcome.displayPath(), contentHash, stage, error, durationMs, ranAt),
                    analyses);
            return outcome;
        }
    }
}
