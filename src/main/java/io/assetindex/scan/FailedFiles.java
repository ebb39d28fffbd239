package io.assetindex.scan;

import io.assetindex.config.AppConfig;
import io.assetindex.store.IndexStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * The files whose last attempt failed, and trying them again: each one still there is read and
 * indexed again (hashed even when its size and mtime did not change), as {@code requeue} and the
 * API's requeue do.
 *
 * @param failedBefore how many paths had a failed last attempt
 * @param present      those that are still regular files, to try again
 */
public record FailedFiles(long failedBefore, List<Path> present) {

    /**
     * What a requeue started in a running service, answered at once; the work goes on in the
     * background and shows in the log, state.json and {@code status}.
     *
     * @param started        false when a requeue was still running (nothing more was started)
     * @param failedFiles    files whose last attempt failed
     * @param retrying       those still there, read and indexed again now
     * @param gone           those no longer there (nothing to try)
     * @param reanalysis     "started" (a re-analysis pass for missing results runs now), "queued" (after
     *                       the running pass) or "none" (nothing to analyse: no index open for it)
     */
    public record Requeued(boolean started, long failedFiles, long retrying, long gone, String reanalysis) {}

    /** What became of the files tried again. */
    public record Retried(long failedBefore, long indexed, long failed, long gone) {}

    /** The failed files of the index, and which of them are still there. */
    public static FailedFiles find(AppConfig config, IndexStore store) {
        List<String> failed = store.failedPaths();
        List<Path> present = failed.stream().map(config.workspace().root()::resolve)
                .filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).toList();
        return new FailedFiles(failed.size(), present);
    }

    public long gone() {
        return failedBefore - present.size();
    }

    /** Reads and indexes the present ones again. */
    public Retried retry(AppConfig config, Indexing indexing, ScanListener listener) {
        if (present.isEmpty()) {
            return new Retried(failedBefore, 0, 0, gone());
        }
        ScanSummary summary = indexing.scanner().scan(ScanTargets.forPaths(config, present), ScanOptions.REHASH,
                listener);
        return new Retried(failedBefore, summary.indexed() + summary.linked(), summary.failed(), gone());
    }
}
