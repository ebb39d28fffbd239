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
import java.nio.file.Path;
import java.time.Clock;

/**
 * {@code restore FILE}: replaces the workspace's index with a backup.
 *
 * <p>Guarantees: nothing changes unless the backup is an intact asset-index database whose
 * schema this program understands, no watcher holds the workspace lock and no other command
 * has the index open ({@link IndexUseLock}; both are held for the whole swap, so none can start
 * meanwhile). The backup is copied into
 * {@code .asset_index/} under a temporary name and fsynced; the current index is kept as a
 * consistent copy, {@code index.db.before-restore}; the old {@code -wal} and {@code -shm} files
 * are removed before the rename (a WAL left beside another database would be replayed into it);
 * then the copy is renamed over {@code index.db}. A backup with an older schema is upgraded by
 * the migrations right after.
 */
public final class IndexRestore {
    public static final String KEPT_SUFFIX = ".before-restore";

    /** What was restored, and where the replaced index was kept (null if there was none). */
    public record Result(Path index, Path kept, long assets, int schemaVersion) {}

    private IndexRestore() {}

    /**
     * @throws InstanceLock.HeldException when a watcher is running on the workspace
     * @throws IndexUseLock.InUseException when another command is using the index
     */
    public static Result restore(Workspace workspace, Path backup, ProcessIdentity self, Clock clock)
            throws InstanceLock.HeldException, IndexUseLock.InUseException {
        Path source = backup.toAbsolutePath().normalize();
        if (!Files.isRegularFile(source)) {
            throw new MaintenanceException(source + " is not a file; give the path of a backup made with 'asset-index backup'");
        }
        DatabaseFiles.Inspection inspection = inspect(source);
        Path index = workspace.databaseFile();
        Path kept;
        try (InstanceLock lock = InstanceLock.acquire(workspace.lockFile(), self);
                IndexUseLock alone = IndexUseLock.exclusive(index)) {
            kept = replace(index, source);
        } catch (IOException e) {
            throw new MaintenanceException("cannot restore into " + workspace.dataDir() + ": " + e.getMessage()
                    + "; check that the folder is writable and has room", e);
        }
        try (IndexDatabase restored = IndexDatabase.open(index, 2, clock)) {
            return new Result(index, kept, inspection.assets(), restored.schemaVersion());
        }
    }

    /** Puts a copy of {@code source} in place of {@code index}; returns where the old index was kept, or null. */
    private static Path replace(Path index, Path source) throws IOException {
        Path temp = SafeFiles.tempSibling(index, "restore");
        try {
            try (InputStream in = Files.newInputStream(source)) {
                Files.copy(in, temp); // a new file, not the backup's mode: a read-only backup restores writable
            }
            SafeFiles.fsync(temp);
            Path kept = Files.exists(index) ? keepCurrent(index) : null;
            Files.deleteIfExists(sibling(index, "-wal"));
            Files.deleteIfExists(sibling(index, "-shm"));
            SafeFiles.replace(temp, index);
            return kept;
        } finally {
            SafeFiles.deleteQuietly(temp);
        }
    }

    private static DatabaseFiles.Inspection inspect(Path source) {
        DatabaseFiles.Inspection inspection;
        try {
            inspection = DatabaseFiles.inspect(source, true);
        } catch (StoreException e) {
            throw new MaintenanceException("not restoring: " + e.getMessage()
                    + (e.getMessage().contains("newer") ? "" : "; give a file written by 'asset-index backup'"), e);
        }
        if (!inspection.intact()) {
            throw new MaintenanceException("not restoring: " + source + " is damaged (integrity_check: "
                    + inspection.integrity() + "); use another backup");
        }
        return inspection;
    }

    /** A consistent copy of the current index (with its WAL folded in), or the raw file if it cannot be read. */
    private static Path keepCurrent(Path index) throws IOException {
        Path kept = sibling(index, KEPT_SUFFIX);
        Files.deleteIfExists(kept);
        try {
            DatabaseFiles.copyFile(index, kept);
        } catch (StoreException e) {
            Files.deleteIfExists(kept);
            Files.copy(index, kept); // corrupt: keep the bytes as they are, for forensics
        }
        return kept;
    }

    private static Path sibling(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }
}
