package io.assetindex.query;

import io.assetindex.MediaType;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.config.Workspace;
import io.assetindex.scan.LeftOutReport;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherInfo;
import io.assetindex.store.CountedLeftOut;
import io.assetindex.store.IndexCounts;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.ProcessStatus;
import io.assetindex.store.WatcherRegistry;
import io.assetindex.util.Timestamps;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

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
        Map<String, CountedLeftOut> leftOut = Map.of();
        List<StatusReport.IndexWatcher> watchers = List.of();
        if (database == null) {
            String where = config.database().sqlite() ? workspace.databaseFile().toString()
                    : config.database().postgres().display();
            index = new StatusReport.IndexStatus(where, false, null, null);
        } else {
            index = new StatusReport.IndexStatus(database.describe(), true, sizeOf(database),
                    database.schemaVersion());
            IndexReader reader = new IndexReader(database);
            counts = counts(reader.counts(), clock);
            leftOut = reader.leftOut().stream().collect(Collectors.toMap(CountedLeftOut::sourceRoot, c -> c));
            watchers = new WatcherRegistry(database, clock).all().stream().map(w -> watcher(w, clock)).toList();
        }
        List<StatusReport.WatchPathStatus> roots = new ArrayList<>();
        for (WatchRoot root : config.watchRoots()) {
            roots.add(root(root, leftOut.get(root.name()), config, clock));
        }
        return new StatusReport(workspace.root().toString(), roots, watcher(watcher, clock), index, counts, watchers);
    }

    private static StatusReport.IndexWatcher watcher(WatcherRegistry.Watcher w, Clock clock) {
        String health = w.state().equals("stopped") ? "stopped" : w.alive() ? "alive" : "stale";
        return new StatusReport.IndexWatcher(w.host(), w.workspace(), w.watchPaths(), w.pid(), w.state(), health,
                Timestamps.local(w.startedAt(), clock.getZone()), Timestamps.local(w.heartbeatAt(), clock.getZone()),
                w.filesIndexed(), w.filesFailed(), w.queueDepth(), w.version(), w.apiUrl(), w.lastError());
    }

    /** @param leftOut what its last whole walk left out, or null when none counted */
    private static StatusReport.WatchPathStatus root(WatchRoot root, CountedLeftOut leftOut, AppConfig config,
            Clock clock) {
        boolean exists = Files.isDirectory(root.dir());
        if (leftOut == null) {
            return new StatusReport.WatchPathStatus(root.name(), root.dir().toString(), exists, root.jobsRoot(), null, null);
        }
        return new StatusReport.WatchPathStatus(root.name(), root.dir().toString(), exists, root.jobsRoot(),
                LeftOutReport.of(leftOut.leftOut(), config.mediaTypeByExtension()),
                Timestamps.local(leftOut.countedAt(), clock.getZone()));
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

    private static Long sizeOf(IndexDatabase database) {
        OptionalLong size = database.sizeBytes();
        return size.isPresent() ? size.getAsLong() : null;
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
                        .toList(), counts.corruptFiles(), counts.warningFiles(),
                        counts.acceptedFiles(), counts.bitRotFiles(), counts.bitRot().stream().map(found ->
                                new StatusReport.BitRotFile(WatchRoot.displayPath(found.sourceRoot(), found.relPath()),
                                        found.expectedHash(), found.foundHash(), found.sizeBytes(),
                                        Timestamps.local(found.foundAt(), clock.getZone()))).toList());
    }
}
