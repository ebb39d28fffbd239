package io.assetindex.maintain;

import io.assetindex.store.DatabaseFiles;
import io.assetindex.store.IndexDatabase;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code backup FILE}: a consistent copy of the index, made while a watcher may keep writing.
 *
 * <p>Guarantees: the file at {@code target} is either absent/unchanged or a complete database
 * that passed {@code quick_check}; it is written next to the target under a temporary name and
 * renamed into place. An existing file is only replaced when asked, and nothing is written
 * where {@link OutputGuard} forbids (a watch path, .asset_index/).
 */
public final class IndexBackup {

    /** What was written. */
    public record Result(Path file, long sizeBytes, long assets, int schemaVersion, double seconds) {}

    private IndexBackup() {}

    /** @param guard where the backup may not go (media, .asset_index/) */
    public static Result create(IndexDatabase database, Path target, boolean replace, OutputGuard guard) {
        long start = System.nanoTime();
        Path absolute = guard.checked(target, replace, "backup");
        Path temp = SafeFiles.tempSibling(absolute, "backup");
        try {
            DatabaseFiles.copyTo(database, temp);
            DatabaseFiles.Inspection inspection = DatabaseFiles.inspect(temp, false);
            if (!inspection.intact()) {
                throw new MaintenanceException("the copy failed its check (" + inspection.integrity()
                        + "); the index itself may be damaged: run 'asset-index doctor'");
            }
            SafeFiles.fsync(temp);
            SafeFiles.replace(temp, absolute);
            return new Result(absolute, Files.size(absolute), inspection.assets(), inspection.schemaVersion(),
                    (System.nanoTime() - start) / 1e9);
        } catch (IOException e) {
            throw new MaintenanceException("cannot write the backup " + absolute + ": " + e.getMessage(), e);
        } finally {
            SafeFiles.deleteQuietly(temp);
        }
    }
}
