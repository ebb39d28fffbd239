package io.assetindex.index;

import io.assetindex.store.IndexStore;
import io.assetindex.store.KnownPath;
import io.assetindex.store.LogEntry;
import io.assetindex.store.NewAsset;
import io.assetindex.store.PathRecord;
import io.assetindex.store.StoreException;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Instant;
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
        if (!FileNames.roundTrips(candidate.file())) {
            return attempt.failed(STAGE_STAT, null, FileNames.undecodableReason());
        }
        BasicFileAttributes before;
        try {
            before = Files.readAttributes(candidate.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return attempt.failed(STAGE_STAT, null, "vanished before it could be read");
        } catch (IOException e) {
            return attempt.failed(STAGE_STAT, null, "cannot read its attributes: " + describe(e));
        }
        if (!before.isRegularFile()) {
            return attempt.failed(STAGE_STAT, null, "is no longer a regular file");
        }
        long sizeBytes = before.size();
        long mtimeNs = before.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        Optional<KnownPath> known = store.knownPath(candidate.root().name(), candidate.relPath());
        if (!force && known.isPresent() && known.get().unchanged(sizeBytes, mtimeNs)) {
            return attempt.outcome(FileOutcome.Kind.UNCHANGED, known.get().assetId(), 0);
        }
        if (sizeBytes == 0) {
            return attempt.failed(STAGE_STAT, null, "empty file (0 bytes); it is indexed once it has content");
        }

        Hasher.Result hash;
        try {
            hash = hasher.hash(candidate.file());
            BasicFileAttributes after =
                    Files.readAttributes(candidate.file(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (after.size() != sizeBytes || hash.bytesRead() != sizeBytes
                    || after.lastModifiedTime().to(TimeUnit.NANOSECONDS) != mtimeNs) {
                return attempt.failed(STAGE_HASH, null,
                        "changed while being hashed; it is indexed once it stops changing");
            }
        } catch (NoSuchFileException e) {
            return attempt.failed(STAGE_READ, null, "vanished while being read");
        } catch (AccessDeniedException e) {
            return attempt.failed(STAGE_READ, null, "permission denied; make it readable by the user running asset-index");
        } catch (IOException e) {
            return attempt.failed(STAGE_READ, null, "read error: " + describe(e));
        }

        String contentHash = hash.sha256();
        PathRecord path = new PathRecord(candidate.root().name(), candidate.relPath(),
                candidate.file().toAbsolutePath().toString(), candidate.jobId(), contentHash, sizeBytes, mtimeNs);
        if (known.isPresent() && !known.get().deleted() && contentHash.equals(known.get().assetId())) {
            FileOutcome outcome = attempt.outcome(FileOutcome.Kind.SKIPPED, contentHash, sizeBytes);
            store.recordPath(path, LogEntry.skipped(outcome.displayPath(), contentHash, "already indexed",
                    outcome.durationMs(), attempt.ranAt));
            return outcome;
        }
        if (store.hasAsset(contentHash)) {
            FileOutcome outcome = attempt.outcome(FileOutcome.Kind.LINKED, contentHash, sizeBytes);
            store.recordPath(path, LogEntry.ok(outcome.displayPath(), contentHash, "new path for known content",
                    outcome.durationMs(), attempt.ranAt));
            return outcome;
        }

        Analysis analysis = analyzers.run(
                new AnalysisInput(candidate.file(), candidate.mediaType(), sizeBytes, contentHash),
                store::cachedAnalysis);
        if (analysis.fatal() != null) {
            return attempt.failed(analysis.fatal().analyzer(), contentHash, analysis.fatal().reason());
        }
        NewAsset asset = new NewAsset(contentHash, candidate.file().getFileName().toString(), path.absPath(),
                candidate.root().name(), candidate.jobId(), candidate.mediaType(), sizeBytes, mtimeNs / 1e9,
                analysis.facts(), Json.write(analysis.raw()));
        FileOutcome outcome = attempt.outcome(FileOutcome.Kind.INDEXED, contentHash, sizeBytes);
        store.recordNewAsset(asset, analysis.computed(), path,
                LogEntry.ok(outcome.displayPath(), contentHash, "new content", outcome.durationMs(), attempt.ranAt));
        return outcome;
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
            long durationMs = (System.nanoTime() - startNs) / 1_000_000;
            return new FileOutcome(kind, candidate.displayPath(), contentHash, bytesHashed, durationMs, null, null);
        }

        FileOutcome failed(String stage, String contentHash, String error) {
            long durationMs = (System.nanoTime() - startNs) / 1_000_000;
            FileOutcome outcome = new FileOutcome(FileOutcome.Kind.FAILED, candidate.displayPath(), contentHash, 0,
                    durationMs, stage, error);
            store.recordFailure(LogEntry.failed(outcome.displayPath(), contentHash, stage, error, durationMs, ranAt));
            return outcome;
        }
    }
}
