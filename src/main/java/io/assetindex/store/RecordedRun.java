package io.assetindex.store;

import java.time.Instant;
import java.util.List;

/**
 * A row of the scan history.
 *
 * @param process    the process that ran it, as {@link io.assetindex.util.ProcessOwner} names it
 * @param paths      the watch paths, or folders in them, it covered, as shown (relative to the workspace)
 * @param finishedAt null while it runs, and forever when its process died first
 * @param outcome    null when not finished
 * @param counts     null when not finished, or when it failed
 * @param superseded the watcher that ran it was replaced: a later run on the same host started a new
 *                   watcher ({@link RunKind#SCAN_ON_START} by another process), so it cannot be running
 */
public record RecordedRun(long id, RunKind kind, String host, long pid, String process, List<String> paths,
        Instant startedAt, Instant finishedAt, RunOutcome outcome, RunCounts counts, String notes,
        boolean superseded) {

    public RecordedRun {
        paths = List.copyOf(paths);
    }

    /**
     * One page of the history, newest first.
     *
     * @param total the runs on all pages
     */
    public record Page(long total, List<RecordedRun> runs) {
        public Page {
            runs = List.copyOf(runs);
        }
    }
}
