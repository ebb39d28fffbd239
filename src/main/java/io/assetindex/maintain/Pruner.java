package io.assetindex.maintain;

import io.assetindex.index.ThumbnailAnalyzer;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexPruning;
import io.assetindex.store.ReferencedPaths;
import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

/**
 * {@code prune}: purges what the index keeps for nothing (see {@link IndexPruning}), the
 * thumbnail files under {@code .asset_index/thumbs/} that no analysis result refers to any more,
 * and the temp files that interrupted writes left in {@code .asset_index/} (see {@link StaleTempFiles}).
 *
 * <p>A thumbnail is written before the transaction that records it commits, so a running
 * watcher may have a fresh one that is not referenced yet: only unreferenced files older than
 * {@link #THUMBNAIL_GRACE} are removed. Never touches anything outside {@code .asset_index/}.
 */
public final class Pruner {
    static final Duration THUMBNAIL_GRACE = Duration.ofHours(1);

    /** What was removed (or would be, in a dry run). */
    public record Report(boolean dryRun, long logRows, long deletedPaths, long assets, long vectors, long cacheRows,
            long thumbnails, long thumbnailBytes, long tempFiles, long tempFileBytes, long databaseBytesFreed,
            double seconds) {

        public String line() {
            return String.format("%s%d deleted paths, %d assets with no path, %d vectors, %d analysis results,"
                    + " %d thumbnails (%d bytes), %d temp files (%d bytes), %d process_log rows;"
                    + " %d bytes freed in the database, in %.1fs",
                    dryRun ? "would remove " : "removed ", deletedPaths, assets, vectors, cacheRows, thumbnails,
                    thumbnailBytes, tempFiles, tempFileBytes, logRows, databaseBytesFreed, seconds);
        }
    }

    private final IndexDatabase database;
    private final Path dataDir;
    private final Clock clock;

    public Pruner(IndexDatabase database, Path dataDir, Clock clock) {
        this.database = database;
        this.dataDir = dataDir;
        this.clock = clock;
    }

    /**
     * @param deletedOlderThan  paths deleted longer ago than this are purged
     * @param logRetentionDays  process_log rows older than this many days are purged; 0 keeps them
     */
    public Report prune(Duration deletedOlderThan, int logRetentionDays, boolean dryRun) {
        long start = System.nanoTime();
        Instant now = clock.instant();
        IndexPruning.Result result = new IndexPruning(database).run(now.minus(deletedOlderThan),
                logRetentionDays == 0 ? null : now.minus(Duration.ofDays(logRetentionDays)), dryRun);
        StaleTempFiles.Sweep temps = StaleTempFiles.sweep(dataDir, now, dryRun);
        if (temps.failed() > 0) {
            throw new MaintenanceException("cannot remove " + temps.failed() + " stale temp files in " + dataDir
                    + " (first: " + temps.problem() + "); check the permissions of .asset_index/");
        }
        long[] swept = sweepThumbnails(result.thumbnails(), now.minus(THUMBNAIL_GRACE), dryRun);
        return new Report(dryRun, result.logRows(), result.deletedPaths(), result.assets(), result.vectors(),
                result.cacheRows(), swept[0], swept[1], temps.files(), temps.bytes(), result.databaseBytesFreed(),
                (System.nanoTime() - start) / 1e9);
    }

    /** Removes unreferenced thumbnails older than {@code before} (temp files are not thumbnails); returns {count, bytes}. */
    private long[] sweepThumbnails(ReferencedPaths referenced, Instant before, boolean dryRun) {
        Path folder = dataDir.resolve(ThumbnailAnalyzer.FOLDER);
        long[] swept = new long[2];
        if (!Files.isDirectory(folder)) {
            return swept;
        }
        try (Stream<Path> files = Files.walk(folder)) {
            files.forEach(file -> {
                String relative = dataDir.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
                try {
                    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
                    if (attributes.isRegularFile() && !referenced.mayContain(relative)
                            && !SafeFiles.isTempName(file.getFileName().toString())
                            && attributes.lastModifiedTime().toInstant().isBefore(before)) {
                        if (!dryRun) {
                            Files.delete(file);
                        }
                        swept[0]++;
                        swept[1] += attributes.size();
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new MaintenanceException("cannot clean up thumbnails in " + folder + ": " + e.getMessage()
                    + "; check the permissions of .asset_index/", e);
        }
        return swept;
    }
}
