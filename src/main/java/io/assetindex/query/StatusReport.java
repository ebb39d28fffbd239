package io.assetindex.query;

import io.assetindex.scan.LeftOutReport;
import io.assetindex.state.WatcherSnapshot;
import io.assetindex.store.IndexCounts;
import java.util.List;

/**
 * What {@code status}, {@code /api/v1/status} and {@code /metrics} report, built once in
 * {@link StatusReports}: the workspace and its watch paths, the watcher (or server) and what it
 * is doing, the index file, and what the index holds.
 *
 * @param counts   null when there is no index yet
 * @param watchers every watcher the index's watchers table holds, on any host (empty without an index)
 */
public record StatusReport(String workspace, List<WatchPathStatus> watchPaths, WatcherStatus watcher, IndexStatus index,
        StatusCounts counts, List<IndexWatcher> watchers) {

    /**
     * A watcher of the index as its row in the watchers table says, on this host or another.
     *
     * @param health alive (its heartbeat is recent), stale (it stopped beating without saying it
     *               stopped: killed, hung, or cut off from the database) or stopped
     */
    public record IndexWatcher(String host, String workspace, List<String> watchPaths, long pid, String state,
            String health, String startedAt, String heartbeatAt, long filesIndexed, long filesFailed,
            long queueDepth, String version, String apiUrl, String lastError) {}

    /**
     * A configured watch path, whether its folder is there, and what its last whole walk left out
     * because of extensions.
     *
     * @param leftOut          null when no whole walk of it counted yet (or there is no index)
     * @param leftOutCountedAt when that walk ran, or null
     */
    public record WatchPathStatus(String path, String absolute, boolean exists, boolean jobsRoot,
            LeftOutReport leftOut, String leftOutCountedAt) {}

    /**
     * The workspace's watcher or server as state.json (or the running service itself) says.
     *
     * @param running whether that process runs now (same pid and start time)
     * @param stale   it did not write "stopped" and is not running: it crashed or was killed
     * @param state   its last state, or null when none ever ran here
     */
    public record WatcherStatus(boolean running, boolean stale, Long uptimeSeconds, WatcherSnapshot state) {}

    /** The index database file. */
    public record IndexStatus(String path, boolean exists, Long sizeBytes, Integer schemaVersion) {}

    /** Totals from the index. */
    public record StatusCounts(long assets, long image, long video, long audio, long assetBytes, long livePaths,
            long deletedPaths, long attemptsOk, long attemptsSkipped, long attemptsFailed, String lastAttemptAt,
            List<IndexCounts.ModelVectors> vectors, long failingFiles, List<HeldDeletion> heldDeletions,
            long corruptFiles, long warningFiles, long acceptedFiles, long bitRotFiles, List<BitRotFile> bitRot) {}

    /**
     * A file re-verification found with bytes that changed while its size and mtime did not.
     *
     * @param expectedHash the content the index records (and keeps) at the path
     * @param foundHash    what its bytes hash to now
     */
    public record BitRotFile(String path, String expectedHash, String foundHash, long sizeBytes, String foundAt) {}

    /** A watch path (or a disk mounted in one, {@code folder}) whose deletions are held back, since when and why. */
    public record HeldDeletion(String watchPath, String folder, String since, String reason) {}
}
