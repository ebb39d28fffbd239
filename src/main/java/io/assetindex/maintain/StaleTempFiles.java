package io.assetindex.maintain;

import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * Removes the temp files that asset-index's own writers leave in {@code .asset_index/} when a
 * process dies mid-write (kill -9, a power cut): thumbnails, state.json, a restore's copy,
 * doctor's probe. Only names {@link SafeFiles#tempSibling} gives are candidates, never any other
 * file, and only those whose writer (the pid in the name) is no longer running, or that are
 * unmodified for {@link #GRACE} (the pid may have been reused): a scan or a watcher running now
 * may be writing one. Symbolic links are neither followed nor removed. A file that cannot be removed is
 * counted and the sweep goes on.
 */
public final class StaleTempFiles {
    /** Far longer than a temp file stays unmodified while it is written (each is written in one go). */
    public static final Duration GRACE = Duration.ofHours(1);

    /**
     * @param files   removed (or that would be, in a dry run)
     * @param failed  could not be removed; {@code problem} says why for the first one (null when none)
     */
    public record Sweep(long files, long bytes, long failed, String problem) {}

    private StaleTempFiles() {}

    /** Removes, or with {@code dryRun} counts, the temp files under {@code dataDir} unmodified since {@code now - GRACE}. */
    public static Sweep sweep(Path dataDir, Instant now, boolean dryRun) {
        Visitor visitor = new Visitor(now.minus(GRACE), dryRun);
        if (Files.isDirectory(dataDir)) {
            try {
                Files.walkFileTree(dataDir, visitor);
            } catch (IOException e) {
                visitor.failed(dataDir, e);
            }
        }
        return new Sweep(visitor.files, visitor.bytes, visitor.failed, visitor.problem);
    }

    /** The process that wrote it is not running: nobody will finish or remove it. */
    private static boolean writerGone(String tempName) {
        OptionalLong pid = SafeFiles.writerPid(tempName);
        return pid.isPresent() && pid.getAsLong() != ProcessHandle.current().pid()
                && ProcessHandle.of(pid.getAsLong()).map(process -> !process.isAlive()).orElse(true);
    }

    private static final class Visitor extends SimpleFileVisitor<Path> {
        private final Instant before;
        private final boolean dryRun;
        long files;
        long bytes;
        long failed;
        String problem;

        Visitor(Instant before, boolean dryRun) {
            this.before = before;
            this.dryRun = dryRun;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
            String name = file.getFileName().toString();
            if (attributes.isRegularFile() && SafeFiles.isTempName(name)
                    && (attributes.lastModifiedTime().toInstant().isBefore(before) || writerGone(name))) {
                try {
                    if (!dryRun) {
                        Files.delete(file);
                    }
                    files++;
                    bytes += attributes.size();
                } catch (NoSuchFileException e) {
                    // removed meanwhile, by the process that wrote it or by another sweep
                } catch (IOException e) {
                    failed(file, e);
                }
            }
            return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
            if (!(e instanceof NoSuchFileException)) {
                failed(file, e);
            }
            return FileVisitResult.CONTINUE;
        }

        void failed(Path file, IOException e) {
            failed++;
            if (problem == null) {
                problem = file + ": " + e;
            }
        }
    }
}
