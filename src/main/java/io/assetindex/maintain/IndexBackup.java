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
 * renamed into place. An existing file is only replaced when asked.
 */
public final class IndexBackup {

    /** What was written. */
    public record Result(Path file, long sizeBytes, long assets, int schemaVersion, double seconds) {}

    private IndexBackup() {}

    /** The file to write, absolute; refused when it exists (unless {@code replace}) or its folder does not. */
    static Path checkedTarget(Path target, boolean replace) {
        Path absolute = target.toAbsolutePath().normalize();
        if (Files.exists(absolute) && !replace) {
            throw new MaintenanceException(absolute + " exists; give another file name, or --force to replace it");
        }
        if (!Files.isDirectory(absolute.getParent())) {
            throw new MaintenanceException("folder " + absolute.getParent() + " does not exist; create it first");
        }
        return absolute;
    }

    public static Result create(IndexDatabase database, Path target, boolean replace) {
        long start = System.nanoTime();
        Path absolute = checkedTarget(target, replace);
        if (absolute.startsWith(database.file().getParent()) && absolute.getFileName().toString().startsWith("index.db")) {
            throw new MaintenanceException("refusing to write the backup over the index's own files; choose another name");
        }
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
