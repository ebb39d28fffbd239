package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.MediaType;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.config.Workspace;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.IndexCounts;
import io.assetindex.store.Volume;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.ProcessStatus;
import io.assetindex.state.StateFile;
import io.assetindex.state.WatcherInfo;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import io.assetindex.util.Timestamps;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the workspace, whether a watcher is running and what it is doing, and what the index holds.")
final class StatusCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        AppConfig config = main.loadConfig(Map.of());
        Workspace workspace = config.workspace();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("workspace", workspace.root().toString());
        report.put("watch_paths", config.watchRoots().stream().map(this::describeRoot).toList());
        Optional<WatcherInfo> watcher = WatcherInfo.read(new StateFile(workspace.stateFile()));
        report.put("watcher", watcherJson(watcher));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("path", workspace.databaseFile().toString());
        index.put("exists", IndexAccess.exists(workspace));
        IndexCounts counts = null;
        if (IndexAccess.exists(workspace)) {
            index.put("size_bytes", Files.size(workspace.databaseFile()));
            try (IndexDatabase database = IndexAccess.openExisting(workspace, main.context().clock())) {
                index.put("schema_version", database.schemaVersion());
                counts = new IndexReader(database).counts();
            }
        }
        report.put("index", index);
        report.put("counts", counts == null ? null : countsJson(counts));

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(report));
        } else {
            printHuman(out, config, watcher, counts);
        }
        return ExitCode.OK;
    }

    private Map<String, Object> describeRoot(WatchRoot root) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", root.name());
        out.put("absolute", root.dir().toString());
        out.put("exists", Files.isDirectory(root.dir()));
        out.put("jobs_root", root.jobsRoot());
        return out;
    }

    private Map<String, Object> countsJson(IndexCounts counts) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("assets", counts.assets());
        for (MediaType type : MediaType.values()) {
            out.put(type.id(), counts.assetsByType().get(type));
        }
        out.put("asset_bytes", counts.assetBytes());
        out.put("live_paths", counts.livePaths());
        out.put("deleted_paths", counts.deletedPaths());
        for (ProcessStatus status : ProcessStatus.values()) {
            out.put("attempts_" + status.id(), counts.attempts().get(status));
        }
        out.put("last_attempt_at", counts.lastAttemptAt() == null ? null
                : Timestamps.local(counts.lastAttemptAt(), zone()));
        out.put("vectors", counts.vectors());
        out.put("failing_files", counts.failingFiles());
        out.put("held_deletions", counts.held().stream().map(held -> {
            Map<String, Object> hold = new LinkedHashMap<>();
            hold.put("watch_path", held.getKey());
            hold.put("folder", held.getValue().relPrefix().isEmpty() ? null : held.getValue().relPrefix());
            hold.put("since", Timestamps.local(held.getValue().heldSince(), zone()));
            hold.put("reason", held.getValue().heldReason());
            return hold;
        }).toList());
        return out;
    }

    private Map<String, Object> watcherJson(Optional<WatcherInfo> watcher) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("running", watcher.map(WatcherInfo::running).orElse(false));
        out.put("stale", watcher.map(WatcherInfo::stale).orElse(false));
        out.put("uptime_seconds", watcher.filter(WatcherInfo::running).map(this::uptime).map(Duration::toSeconds).orElse(null));
        out.put("state", watcher.map(WatcherInfo::state).orElse(null));
        return out;
    }

    private Duration uptime(WatcherInfo watcher) {
        String started = watcher.state().path("watcher_started_at").asText(null);
        return started == null ? Duration.ZERO
                : Duration.between(Timestamps.parse(started), main.context().clock().instant());
    }

    private void addWatcher(Table table, Optional<WatcherInfo> found) {
        if (found.isEmpty()) {
            table.add("watcher", "not running (never started here)");
            return;
        }
        WatcherInfo watcher = found.get();
        JsonNode state = watcher.state();
        String pid = "pid " + state.path("pid").asText("?");
        if (watcher.running()) {
            table.add("watcher", String.format("running, %s, up %s, %s, queue %d", pid, Text.duration(uptime(watcher)),
                    watcher.phase(), state.path("queue_depth").asLong()));
            JsonNode reanalysis = state.path("reanalysis");
            if (reanalysis.isObject()) {
                table.add("", "re-analyzing (" + reanalysis.path("analyzer").asText() + "): "
                        + reanalysis.path("done").asLong() + "/" + reanalysis.path("total").asLong() + " assets");
            }
            JsonNode progress = state.path("scan_progress");
            if (progress.isObject()) {
                table.add("", "scan-on-start: " + progress.path("done").asLong() + "/" + progress.path("total").asLong()
                        + " files");
            }
            table.add("", String.format("since start: %d processed, %d skipped, %d failed", state.path("processed_count")
                    .asLong(), state.path("skipped_count").asLong(), state.path("failed_count").asLong()));
            state.path("ai").fields().forEachRemaining(model -> table.add("", String.format(Locale.ROOT,
                    "AI %s since start: %d calls, %d failed, %,d tokens", model.getKey(),
                    model.getValue().path("calls").asLong(), model.getValue().path("failures").asLong(),
                    model.getValue().path("prompt_tokens").asLong() + model.getValue().path("completion_tokens").asLong())));
            if (state.path("last_processed_path").isTextual()) {
                table.add("", "last: " + state.get("last_processed_path").asText() + " at "
                        + Views.isoLocal(state.path("last_processed_at").asText(null), zone()));
            }
            state.path("roots").fields().forEachRemaining(root -> {
                if (!root.getValue().asText().equals("watching")) {
                    table.add("", root.getKey() + ": " + root.getValue().asText());
                }
            });
        } else if (watcher.stale()) {
            table.add("watcher", "not running: it did not stop cleanly (" + pid + " is gone; last state "
                    + watcher.phase() + " at " + updatedAt(state) + ")");
        } else {
            table.add("watcher", "not running (stopped at " + updatedAt(state) + ")");
        }
        if (state.path("last_error").isTextual()) {
            table.add("last error", state.get("last_error").asText());
        }
    }

    private void printHuman(PrintWriter out, AppConfig config, Optional<WatcherInfo> watcher, IndexCounts counts) {
        Workspace workspace = config.workspace();
        Table table = Table.plain(2);
        table.add("workspace", workspace.root());
        for (WatchRoot root : config.watchRoots()) {
            table.add("watch path", root.name() + (root.jobsRoot() ? " (jobs root)" : "")
                    + (Files.isDirectory(root.dir()) ? "" : "  MISSING: " + root.dir()));
        }
        addWatcher(table, watcher);
        if (counts == null) {
            table.add("index", "none yet; run 'asset-index scan'");
            table.print(out, "");
            return;
        }
        table.add("index", workspace.databaseFile());
        table.add("assets", String.format("%d (%d images, %d videos, %d audio), %s", counts.assets(),
                counts.assetsByType().get(MediaType.IMAGE), counts.assetsByType().get(MediaType.VIDEO),
                counts.assetsByType().get(MediaType.AUDIO), Text.bytes(counts.assetBytes())));
        table.add("paths", counts.livePaths() + " live, " + counts.deletedPaths() + " deleted");
        table.add("attempts", String.format("%d ok, %d skipped, %d failed", counts.attempts().get(ProcessStatus.OK),
                counts.attempts().get(ProcessStatus.SKIPPED), counts.attempts().get(ProcessStatus.FAILED)));
        table.add("last attempt", counts.lastAttemptAt() == null ? "never" : Timestamps.local(counts.lastAttemptAt(), zone()));
        if (counts.failingFiles() > 0) {
            table.add("failing files", counts.failingFiles() + " (rescans leave them alone until they change;"
                    + " 'asset-index requeue' tries again; why: 'asset-index log --status failed')");
        }
        for (Map.Entry<String, Volume> held : counts.held()) {
            Volume volume = held.getValue();
            String where = volume.relPrefix().isEmpty() ? held.getKey()
                    : held.getKey() + "/" + volume.relPrefix().substring(0, volume.relPrefix().length() - 1);
            table.add("deletions held", where + " since " + Timestamps.local(volume.heldSince(), zone()) + ": "
                    + volume.heldReason() + "; nothing there is marked deleted until its files are back, or"
                    + " 'asset-index scan --confirm-deletes " + held.getKey() + "' confirms they are gone");
        }
        addVectors(table, counts);
        table.print(out, "");
    }

    private static void addVectors(Table table, IndexCounts counts) {
        if (counts.vectors().isEmpty()) {
            table.add("vectors", "none yet");
            return;
        }
        for (IndexCounts.ModelVectors model : counts.vectors()) {
            String name = model.model() + " (" + model.dimension() + " dims)";
            if (model.state().equals(EmbeddingModel.ACTIVE)) {
                table.add("vectors", model.vectors() + " of " + counts.assets() + " assets, " + name + ", searched");
            } else {
                table.add("", "re-embedding with " + name + ": " + model.vectors() + " of " + counts.assets()
                        + " assets; searched once complete");
            }
        }
    }

    /** When the watcher last wrote state.json, in this machine's zone, or "?". */
    private String updatedAt(JsonNode state) {
        String stored = state.path("updated_at").asText(null);
        return stored == null ? "?" : Views.isoLocal(stored, zone());
    }

    private ZoneId zone() {
        return main.context().clock().getZone();
    }
}
