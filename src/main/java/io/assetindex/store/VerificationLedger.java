package io.assetindex.store;

import java.time.Instant;
import java.util.List;

/**
 * What re-verification reads and records: the live paths due (least recently verified first),
 * when each was last verified, and the files found with bytes that changed while their size and
 * mtime did not. Recording a finding never touches the content the index records at the path.
 */
public final class VerificationLedger {
    private final IndexDatabase database;
    private final VerificationRepository verification = new VerificationRepository();

    /** How many live paths are due, and their bytes. */
    public record Due(long files, long bytes) {}

    public VerificationLedger(IndexDatabase database) {
        this.database = database;
    }

    /** Up to {@code limit} live paths last verified before {@code before}, least recently verified first. */
    public List<DuePath> due(Instant before, int limit) {
        return database.read(c -> verification.due(c, database.host(), before, limit));
    }

    public Due countDue(Instant before) {
        long[] counts = database.read(c -> verification.countDue(c, database.host(), before));
        return new Due(counts[0], counts[1]);
    }

    /** The path's bytes matched its recorded content at {@code at}. */
    public void verified(DuePath path, Instant at) {
        database.write(c -> {
            verification.verified(c, database.host(), path, at);
            verification.clearBitRot(c, database.host(), path.sourceRoot(), path.relPath());
            return null;
        });
    }

    /** The path's bytes hash to {@code foundHash}, not its recorded content, with size and mtime as recorded. */
    public void bitRot(DuePath path, String foundHash, Instant at) {
        database.write(c -> {
            verification.recordBitRot(c, database.host(), path, foundHash, at);
            verification.verified(c, database.host(), path, at);
            return null;
        });
    }

    /** Drops findings no longer current (any host's: a stale finding is stale for all); returns how many. */
    public int pruneBitRot() {
        return database.write(verification::pruneBitRot);
    }

    /** How many of this host's findings are current. */
    public long countBitRot() {
        return database.read(c -> verification.countBitRot(c, database.host()));
    }

    /** This host's current findings, newest first. */
    public List<BitRot> bitRot(int limit) {
        return database.read(c -> verification.bitRot(c, database.host(), limit));
    }
}
