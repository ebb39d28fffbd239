package io.assetindex.query;

import io.assetindex.MediaType;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.config.Workspace;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherInfo;
import io.assetindex.store.IndexCounts;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.ProcessStatus;
import io.assetindex.util.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/** Builds the {@link StatusReport}. */
public final class StatusReports {
    private StatusReports() {}

    /** The watcher of a workspace as its state.json says. */
    public static Optional<WatcherInfo> fromStateFile(Workspace workspace) {
        return WatcherInfo.read(new StateFile(workspace.stateFile()));
    }

    /**
     * @param watcher  the watcher or server of the workspace, if one ever ran there
     * @param database the open index, or null when there is none yet
     */
    public static StatusReport build(AppConfig config, Optional<WatcherInfo> watcher, IndexDatabase database,
            Clock clock) {
        Workspace workspace = config.workspace();
        StatusReport.IndexStatus index;
        StatusReport.StatusCounts counts = null;
        if (database == null) {
            index = new StatusReport.IndexStatus(workspace.databaseFile().toString(), false, null, null);
        } else {
            index = new StatusReport.IndexStatus(workspace.databaseFile().toString(), true, size(workspace),
                    database.schemaVersion());
            counts = counts(new IndexReader(database).counts(), clock);
        }
        return new StatusReport(workspace.root().toString(), config.watchRoots().stream().map(StatusReports::root).toList(),
                watcher(watcher, clock), index, counts);
    }

    private static StatusReport.WatchPathStatus root(WatchRoot root) {
        return new StatusReport.WatchPathStatus(root.name(), root.dir().toString(), Files.isDirectory(root.dir()),
                root.jobsRoot());
    }

    private static StatusReport.WatcherStatus watcher(Optional<WatcherInfo> found, Clock clock) {
        if (found.isEmpty()) {
            return new StatusReport.WatcherStatus(false, false, null, null);
        }
        WatcherInfo watcher = found.get();
        Long uptime = null;
        if (watcher.running() && watcher.state().watcherStartedAt() != null) {
            uptime = Duration.between(Timestamps.parse(watcher.state().watcherStartedAt()), clock.instant()).toSeconds();
        }
        return new StatusReport.WatcherStatus(watcher.running(), watcher.stale(), uptime, watcher.state());
    }

    private static StatusReport.StatusCounts counts(IndexCounts counts, Clock clock) {
        return new StatusReport.StatusCounts(counts.assets(), counts.assetsByType().get(MediaType.IMAGE),
                counts.assetsByType().get(MediaType.VIDEO), counts.assetsByType().get(MediaType.AUDIO),
                counts.assetBytes(), counts.livePaths(), counts.deletedPaths(),
                counts.attempts().get(ProcessStatus.OK), counts.attempts().get(ProcessStatus.SKIPPED),
                counts.attempts().get(ProcessStatus.FAILED),
                counts.lastAttemptAt() == null ? null : Timestamps.local(counts.lastAttemptAt(), clock.getZone()),
                counts.vectors(), counts.failingFiles(),
                counts.held().stream().map(held -> new StatusReport.HeldDeletion(held.getKey(),
                        held.getValue().relPrefix().isEmpty() ? null : held.getValue().relPrefix(),
                        Timestamps.local(held.getValue().heldSince(), clock.getZone()), held.getValue().heldReason()))
                        .toList());
    }

    private static Long size(Workspace workspace) {
        try {
            return Files.size(workspace.databaseFile());
        } catch (IOException e) {
            return null;
        }
    }
}
