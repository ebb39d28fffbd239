package io.assetindex.maintain;

import io.assetindex.config.Workspace;
import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.store.DatabaseFiles;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexUseLock;
import io.assetindex.store.StoreException;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * {@code restore FILE}: replaces the workspace's index with a backup.
 *
 * <p>Guarantees: nothing changes unless the backup is an intact asset-index database whose
 * schema this program understands, no watcher holds the workspace lock and no other command
 * has the index open ({@link IndexUseLock}; both are held for the whole swap, so none can start
 * meanwhile). A backup with an older schema is upgraded by the migrations right after. The
 * replaced index is kept under its own name, {@code index.db.before-restore-<UTC time>}, never
 * over an earlier one.
 *
 * <p>Crash safety: killed at any moment (power loss included), the workspace holds either the
 * old index with every transaction it committed, or the new one complete, with the old one
 * kept. The {@link Step steps}, each finished before the next starts:
 * <ol>
 * <li>{@link Step#COPIED}: the backup is copied into {@code .asset_index/} under a temporary
 *     (dot) name, fsynced, and checked again (it is what gets installed);
 * <li>{@link Step#CHECKPOINTED}: the old index's write-ahead log is folded into {@code index.db}
 *     and truncated; SQLite syncs the main file before it empties the log, so committed
 *     transactions are in {@code index.db} before anything is removed. Another program holding
 *     the index open stops the restore here, with nothing changed;
 * <li>{@link Step#KEPT}: a byte copy of {@code index.db} is written under a temporary name,
 *     fsynced and renamed to its kept name (with the log beside it, as {@code <kept>-wal}, when
 *     the old index was too damaged for its log to be folded);
 * <li>{@link Step#SIDE_FILES_REMOVED}: the old {@code -wal} and {@code -shm} are removed and the
 *     removal synced (a log left beside another database would be replayed into it);
 * <li>{@link Step#REPLACED}: the copy is renamed over {@code index.db} (atomic) and the folder synced.
 * </ol>
 */
public final class IndexRestore {
    /** The kept index's name: {@code index.db} + this + the UTC time of the restore. */
    public static final String KEPT_INFIX = ".before-restore-";
    private static final DateTimeFormatter KEPT_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH-mm-ss'Z'").withZone(ZoneOffset.UTC);

    /** The steps of the swap, in order. */
    enum Step {
        COPIED,
        CHECKPOINTED,
        KEPT,
        SIDE_FILES_REMOVED,
        REPLACED
    }

    /** Hears each step once it is done and durable (tests look at the files there, as a crash would leave them). */
    @FunctionalInterface
    interface StepListener {
        StepListener NONE = step -> {};

        void done(Step step) throws IOException;
    }

    /** What was restored, and where the replaced index was kept (null if there was none). */
    public record Result(Path index, Path kept, long assets, int schemaVersion) {}

    private IndexRestore() {}

    /**
     * @throws InstanceLock.HeldException when a watcher is running on the workspace
     * @throws IndexUseLock.InUseException when another command is using the index
     */
    public static Result restore(Workspace workspace, Path backup, ProcessIdentity self, Clock clock)
            throws InstanceLock.HeldException, IndexUseLock.InUseException {
        return restore(workspace, backup, self, clock, StepListener.NONE);
    }

    static Result restore(Workspace workspace, Path backup, ProcessIdentity self, Clock clock, StepListener listener)
            throws InstanceLock.HeldException, IndexUseLock.InUseException {
        Path source = backup.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            throw new MaintenanceException(source + " is not a file; give the path of a backup made with 'asset-index backup'");
        }
        DatabaseFiles.Inspection inspection = inspect(source, true);
        Path index = workspace.databaseFile();
        Path kept;
        try (InstanceLock lock = InstanceLock.acquire(workspace.lockFile(), self);
                IndexUseLock alone = IndexUseLock.exclusive(index)) {
            kept = replace(index, source, clock, listener);
        } catch (IOException e) {
            throw new MaintenanceException("cannot restore into " + workspace.dataDir() + ": " + e.getMessage()
                    + "; check that the folder is writable and has room", e);
        }
        try (IndexDatabase restored = IndexDatabase.open(index, 2, clock)) {
            return new Result(index, kept, inspection.assets(), restored.schemaVersion());
        }
    }

    /** Puts a copy of {@code source} in place of {@code index}; returns where the old index was kept, or null. */
    private static Path replace(Path index, Path source, Clock clock, StepListener listener) throws IOException {
        Path temp = SafeFiles.tempSibling(index, "restore");
        try {
            try (InputStream in = Files.newInputStream(source)) {
                Files.copy(in, temp); // a new file, not the backup's mode: a read-only backup restores writable
            }
            SafeFiles.fsync(temp);
            inspect(temp, false); // the bytes installed, not the ones checked: the backup may have changed since
            listener.done(Step.COPIED);
            Path kept = null;
            if (Files.exists(index)) {
                DatabaseFiles.Fold fold = DatabaseFiles.foldWal(index);
                if (fold == DatabaseFiles.Fold.BUSY) {
                    throw new MaintenanceException("another program has " + index + " open (an sqlite3 shell, a"
                            + " database browser, a backup tool ...); close it, then restore again; nothing was restored");
                }
                listener.done(Step.CHECKPOINTED);
                kept = keep(index, fold == DatabaseFiles.Fold.DONE, clock);
                listener.done(Step.KEPT);
            }
            Files.deleteIfExists(sibling(index, "-wal"));
            Files.deleteIfExists(sibling(index, "-shm"));
            SafeFiles.syncFolder(index.getParent());
            listener.done(Step.SIDE_FILES_REMOVED);
            SafeFiles.replace(temp, index);
            listener.done(Step.REPLACED);
            return kept;
        } finally {
            SafeFiles.deleteQuietly(temp);
        }
    }

    private static DatabaseFiles.Inspection inspect(Path file, boolean full) {
        DatabaseFiles.Inspection inspection;
        try {
            inspection = DatabaseFiles.inspect(file, full);
        } catch (StoreException e) {
            throw new MaintenanceException("not restoring: " + e.getMessage()
                    + (e.getMessage().contains("newer") ? "" : "; give a file written by 'asset-index backup'"), e);
        }
        if (!inspection.intact()) {
            throw new MaintenanceException("not restoring: " + file + " is damaged (integrity_check: "
                    + inspection.integrity() + "); use another backup");
        }
        return inspection;
    }

    /**
     * A complete, durable copy of the current index under a name of its own. After its log was
     * folded, {@code index.db} alone is the whole index; when it could not be (a damaged index),
     * the log is kept beside the copy as it was, so that opening the copy sees what the index had.
     */
    private static Path keep(Path index, boolean folded, Clock clock) throws IOException {
        String stamp = KEPT_TIME.format(clock.instant());
        Path kept = sibling(index, KEPT_INFIX + stamp);
        for (int n = 2; Files.exists(kept, LinkOption.NOFOLLOW_LINKS)
                || Files.exists(sibling(kept, "-wal"), LinkOption.NOFOLLOW_LINKS); n++) {
            kept = sibling(index, KEPT_INFIX + stamp + "-" + n);
        }
        Path wal = sibling(index, "-wal");
        if (!folded && Files.exists(wal)) {
            copyDurably(wal, sibling(kept, "-wal"));
        }
        copyDurably(index, kept);
        return kept;
    }

    /** Copies under a temporary name, fsyncs and renames; never replaces an existing file. */
    private static void copyDurably(Path source, Path target) throws IOException {
        Path temp = SafeFiles.tempSibling(target, "keep");
        try {
            Files.copy(source, temp);
            SafeFiles.fsync(temp);
            Files.move(temp, target); // fails if target exists
            SafeFiles.syncFolder(target.getParent());
        } finally {
            SafeFiles.deleteQuietly(temp);
        }
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
