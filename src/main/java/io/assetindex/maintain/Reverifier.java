package io.assetindex.maintain;

import io.assetindex.config.VerifySettings;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.Hasher;
import io.assetindex.index.Sha256Hasher;
import io.assetindex.store.DuePath;
import io.assetindex.store.VerificationLedger;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The watcher's scheduled re-verification ({@code verify.every_days}): reads each live path whose
 * last verification is older than the period, least recently verified first, and compares the
 * SHA-256 of its bytes with the content the index records there.
 *
 * <p>Guarantees: the content recorded at a path is never changed. A file whose size or mtime
 * differ from the index changed in the ordinary way: it is handed to the watcher
 * ({@link Listener#changed}). A file whose bytes differ while its size and mtime are as recorded
 * before, between and after two reads is reported as bit rot ({@link Listener#bitRot}) and
 * recorded ({@code bit_rot}); a file that matches again clears it. Reading waits for the
 * {@link Gate} before every MiB (indexing new files goes first) and keeps under
 * {@code verify.max_mb_per_second}. Unreadable or vanished files are skipped (a scan's job).
 */
public final class Reverifier {
    static final int BATCH = 100;

    /** Returns when indexing leaves the disk to verification: at once when nothing waits. */
    @FunctionalInterface
    public interface Gate {
        Gate OPEN = () -> { };

        void awaitIdle() throws InterruptedException;
    }

    /** What a pass tells as it goes. */
    public interface Listener {
        /** After each file: the pass so far, against what was due when it started. */
        void progress(Pass pass);

        /** A file's bytes no longer hash to the recorded content, with its size and mtime unchanged. */
        void bitRot(String displayPath, String expectedHash, String foundHash);

        /** A file's size or mtime differ from the index: the watcher should index it again. */
        void changed(Path file);
    }

    /**
     * A pass: the files due when it started, and what became of those read.
     *
     * @param finished false when it was stopped before the last due file
     */
    public record Pass(Instant startedAt, long dueFiles, long dueBytes, long files, long bytes, long bitRot,
            long changed, long unreadable, boolean finished) {

        Pass with(long moreFiles, long moreBytes, long moreBitRot, long moreChanged, long moreUnreadable) {
            return new Pass(startedAt, dueFiles, dueBytes, files + moreFiles, bytes + moreBytes, bitRot + moreBitRot,
                    changed + moreChanged, unreadable + moreUnreadable, false);
        }

        Pass ended(boolean complete) {
            return new Pass(startedAt, dueFiles, dueBytes, files, bytes, bitRot, changed, unreadable, complete);
        }
    }

    private final VerificationLedger ledger;
    private final VerifySettings settings;
    private final Sha256Hasher hasher = new Sha256Hasher();
    private final Gate gate;
    private final Clock clock;
    /** When reading may go on under the speed limit (System.nanoTime). */
    private long nextReadNs;
    /** Bytes of the file being read already counted against the limit. */
    private long chargedInFile;

    public Reverifier(VerificationLedger ledger, VerifySettings settings, Gate gate, Clock clock) {
        this.ledger = ledger;
        this.settings = settings;
        this.gate = gate;
        this.clock = clock;
    }

    /** The period: a path last verified before now minus it is due. */
    public Duration period() {
        return Duration.ofDays(settings.everyDays());
    }

    /** How many files and bytes are due now. */
    public VerificationLedger.Due due() {
        return ledger.countDue(clock.instant().minus(period()));
    }

    /**
     * Verifies what is due, a batch at a time, until nothing is or {@code stopping} says so.
     *
     * @throws InterruptedException when the thread is interrupted (the pass stops; what was verified stays recorded)
     */
    public Pass run(Listener listener, BooleanSupplier stopping) throws InterruptedException {
        Instant start = clock.instant();
        Instant dueBefore = start.minus(period());
        ledger.pruneBitRot();
        VerificationLedger.Due due = ledger.countDue(dueBefore);
        Pass pass = new Pass(start, due.files(), due.bytes(), 0, 0, 0, 0, 0, false);
        while (!stopping.getAsBoolean()) {
            List<DuePath> batch = ledger.due(dueBefore, BATCH);
            if (batch.isEmpty()) {
                return pass.ended(true);
            }
            for (DuePath path : batch) {
                if (stopping.getAsBoolean()) {
                    return pass.ended(false);
                }
                pass = verify(path, pass, listener);
                listener.progress(pass);
            }
        }
        return pass.ended(false);
    }

    private Pass verify(DuePath path, Pass pass, Listener listener) throws InterruptedException {
        Path file = Path.of(path.absPath());
        String shown = WatchRoot.displayPath(path.sourceRoot(), path.relPath());
        try {
            if (!asRecorded(file, path)) {
                listener.changed(file);
                ledger.verified(path, clock.instant()); // the watcher indexes it; look again next period
                return pass.with(1, 0, 0, 1, 0);
            }
            Hasher.Result read = read(file);
            if (read.sha256().equals(path.assetId())) {
                ledger.verified(path, clock.instant());
                return pass.with(1, read.bytesRead(), 0, 0, 0);
            }
            // Confirm before telling anyone: a second read, with size and mtime unchanged all along.
            Hasher.Result again = read(file);
            if (!asRecorded(file, path)) {
                listener.changed(file);
                ledger.verified(path, clock.instant());
                return pass.with(1, read.bytesRead(), 0, 1, 0);
            }
            ledger.bitRot(path, again.sha256(), clock.instant());
            listener.bitRot(shown, path.assetId(), again.sha256());
            return pass.with(1, read.bytesRead() + again.bytesRead(), 1, 0, 0);
        } catch (NoSuchFileException e) {
            return pass.with(1, 0, 0, 0, 1); // gone: the watcher or the next scan marks it deleted
        } catch (IOException e) {
            return pass.with(1, 0, 0, 0, 1);
        }
    }

    /** Whether the file is a regular file with the size and mtime the index records. */
    private static boolean asRecorded(Path file, DuePath path) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return attributes.isRegularFile() && attributes.size() == path.sizeBytes()
                && attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS) == path.mtimeNs();
    }

    private Hasher.Result read(Path file) throws IOException, InterruptedException {
        chargedInFile = 0;
        Hasher.Result read = hasher.hash(file, this::pace);
        charge(read.bytesRead() - chargedInFile);
        return read;
    }

    /** Before each MiB: indexing first, then no faster than the limit. */
    private void pace(long bytesSoFar) throws InterruptedException {
        gate.awaitIdle();
        charge(bytesSoFar - chargedInFile);
        chargedInFile = bytesSoFar;
    }

    /** Counts bytes read against the limit, waiting when reading ran ahead of it. */
    private void charge(long bytes) throws InterruptedException {
        if (settings.maxMbPerSecond() <= 0 || bytes <= 0) {
            return;
        }
        long now = System.nanoTime();
        nextReadNs = Math.max(nextReadNs, now) + (long) (bytes / (settings.maxMbPerSecond() * 1e6) * 1e9);
        TimeUnit.NANOSECONDS.sleep(nextReadNs - now);
    }
}
