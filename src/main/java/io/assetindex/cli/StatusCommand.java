package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.query.Queries;
import io.assetindex.scan.LeftOutReport;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        JsonNode report = QueryAccess.ask(main, main.loadConfig(Map.of()), where.local, Queries::status);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(report));
        } else {
            printHuman(out, report);
        }
        return ExitCode.OK;
    }

    private void printHuman(PrintWriter out, JsonNode report) {
        Table table = Table.plain(2);
        table.add("workspace", Output.text(report, "workspace"));
        for (JsonNode root : report.path("watch_paths")) {
            table.add("watch path", Output.text(root, "path") + (root.path("jobs_root").asBoolean() ? " (jobs root)" : "")
                    + (root.path("exists").asBoolean() ? "" : "  MISSING: " + Output.text(root, "absolute")));
        }
        addWatcher(table, report.path("watcher"));
        JsonNode counts = report.path("counts");
        if (!counts.isObject()) {
            table.add("index", "none yet; run 'asset-index scan'");
            table.print(out, "");
            return;
        }
        table.add("index", Output.text(report.path("index"), "path"));
        table.add("assets", String.format("%d (%d images, %d videos, %d audio), %s", counts.path("assets").asLong(),
                counts.path("image").asLong(), counts.path("video").asLong(), counts.path("audio").asLong(),
                Text.bytes(counts.path("asset_bytes").asLong())));
        table.add("paths", counts.path("live_paths").asLong() + " live, " + counts.path("deleted_paths").asLong()
                + " deleted");
        table.add("attempts", String.format("%d ok, %d skipped, %d failed", counts.path("attempts_ok").asLong(),
                counts.path("attempts_skipped").asLong(), counts.path("attempts_failed").asLong()));
        String last = Output.text(counts, "last_attempt_at");
        table.add("last attempt", last == null ? "never" : Output.isoLocal(last, zone()));
        if (counts.path("failing_files").asLong() > 0) {
            table.add("failing files", counts.path("failing_files").asLong() + " (rescans leave them alone until they"
                    + " change; 'asset-index requeue' tries again; why: 'asset-index log --status failed')");
        }
        long corrupt = counts.path("corrupt_files").asLong();
        long warnings = counts.path("warning_files").asLong();
        long accepted = counts.path("accepted_files").asLong();
        if (corrupt + warnings + accepted > 0) {
            table.add("integrity", corrupt + " corrupt, " + warnings + " with warnings"
                    + (accepted > 0 ? ", " + accepted + " accepted as good" : "") + " (see 'asset-index integrity')");
        }
        for (JsonNode found : counts.path("bit_rot")) {
            table.add("BIT ROT", Output.text(found, "path") + ": bytes changed, size and mtime did not (found "
                    + Output.isoLocal(Output.text(found, "found_at"), zone()) + "; indexed as "
                    + Output.text(found, "expected_hash").substring(0, 12) + "…, now "
                    + Output.text(found, "found_hash").substring(0, 12) + "…)");
        }
        if (counts.path("bit_rot_files").asLong() > 0) {
            table.add("", counts.path("bit_rot_files").asLong() + " files with bit rot: restore them from a backup, or"
                    + " 'asset-index scan --rehash PATH' indexes the new bytes");
        }
        for (JsonNode root : report.path("watch_paths")) {
            addLeftOut(table, root);
        }
        for (JsonNode held : counts.path("held_deletions")) {
            String folder = Output.text(held, "folder");
            String watchPath = Output.text(held, "watch_path");
            String where = folder == null ? watchPath : watchPath + "/" + folder.substring(0, folder.length() - 1);
            table.add("deletions held", where + " since " + Output.isoLocal(Output.text(held, "since"), zone()) + ": "
                    + Output.text(held, "reason") + "; nothing there is marked deleted until its files are back, or"
                    + " 'asset-index scan --confirm-deletes " + watchPath + "' confirms they are gone");
        }
        addVectors(table, counts);
        addIndexWatchers(table, report.path("watchers"));
        table.print(out, "");
    }

    /** Every watcher of the index (the watchers table), on any host: host, workspace, health and counts. */
    private void addIndexWatchers(Table table, JsonNode watchers) {
        String label = "watchers";
        for (JsonNode watcher : watchers) {
            String health = Output.text(watcher, "health");
            String when = "alive".equals(health) ? "up since " + Output.isoLocal(Output.text(watcher, "started_at"), zone())
                    : "last heartbeat " + Output.isoLocal(Output.text(watcher, "heartbeat_at"), zone());
            String error = Output.text(watcher, "last_error");
            table.add(label, String.format("%s:%s %s, pid %d, %s, %s, %d indexed, %d failed, queue %d%s%s",
                    Output.text(watcher, "host"), Output.text(watcher, "workspace"), health,
                    watcher.path("pid").asLong(), Output.text(watcher, "state"), when,
                    watcher.path("files_indexed").asLong(), watcher.path("files_failed").asLong(),
                    watcher.path("queue_depth").asLong(),
                    Output.text(watcher, "api_url") == null ? "" : ", API " + Output.text(watcher, "api_url"),
                    error == null ? "" : ", last error: " + error));
            label = "";
        }
    }

    /** The scheduled re-verification: the pass under way or when the last one ended. */
    private String verificationLine(JsonNode verification) {
        int days = verification.path("every_days").asInt();
        String every = days == 1 ? "every day" : "every " + days + " days";
        String found = verification.path("bit_rot_found").asLong() > 0
                ? "; " + verification.path("bit_rot_found").asLong() + " with bit rot found since start" : "";
        if (verification.path("state").asText().equals("verifying")) {
            return String.format("re-verifying (%s): %d/%d files, %s of %s%s", every,
                    verification.path("done_files").asLong(), verification.path("due_files").asLong(),
                    Text.bytes(verification.path("done_bytes").asLong()),
                    Text.bytes(verification.path("due_bytes").asLong()), found);
        }
        String last = Output.text(verification, "last_pass_finished_at");
        return "re-verification (" + every + "): idle" + (last == null ? "" : ", last pass ended "
                + Output.isoLocal(last, zone())) + found;
    }

    private void addWatcher(Table table, JsonNode watcher) {
        JsonNode state = watcher.path("state");
        if (!state.isObject()) {
            table.add("watcher", "not running (never started here)");
            return;
        }
        String pid = "pid " + state.path("pid").asText("?");
        String phase = state.path("state").asText("unknown");
        if (watcher.path("running").asBoolean()) {
            String uptime = Text.duration(Duration.ofSeconds(watcher.path("uptime_seconds").asLong()));
            if (phase.equals("serving")) {
                table.add("server", String.format("running, %s, up %s, not watching", pid, uptime));
            } else {
                table.add("watcher", String.format("running, %s, up %s, %s, queue %d", pid, uptime, phase,
                        state.path("queue_depth").asLong()));
            }
            JsonNode reanalysis = state.path("reanalysis");
            if (reanalysis.isObject()) {
                table.add("", "re-analyzing (" + reanalysis.path("analyzer").asText() + "): "
                        + reanalysis.path("done").asLong() + "/" + reanalysis.path("total").asLong() + " assets");
            }
            JsonNode verification = state.path("verification");
            if (verification.isObject()) {
                table.add("", verificationLine(verification));
            }
            JsonNode progress = state.path("scan_progress");
            if (progress.isObject()) {
                table.add("", "scan-on-start: " + progress.path("done").asLong() + "/" + progress.path("total").asLong()
                        + " files");
            }
            if (!phase.equals("serving")) {
                table.add("", String.format("since start: %d processed, %d skipped, %d failed",
                        state.path("processed_count").asLong(), state.path("skipped_count").asLong(),
                        state.path("failed_count").asLong()));
            }
            state.path("ai").fields().forEachRemaining(model -> table.add("", String.format(Locale.ROOT,
                    "AI %s since start: %d calls, %d failed, %,d tokens", model.getKey(),
                    model.getValue().path("calls").asLong(), model.getValue().path("failures").asLong(),
                    model.getValue().path("prompt_tokens").asLong() + model.getValue().path("completion_tokens").asLong())));
            if (state.path("last_processed_path").isTextual()) {
                table.add("", "last: " + state.get("last_processed_path").asText() + " at "
                        + Output.isoLocal(Output.text(state, "last_processed_at"), zone()));
            }
            state.path("roots").fields().forEachRemaining(root -> {
                if (!root.getValue().asText().equals("watching")) {
                    table.add("", root.getKey() + ": " + root.getValue().asText());
                }
            });
            JsonNode api = state.path("api");
            table.add("api", api.isObject() ? Output.text(api, "url") : state.path("api_error").isTextual()
                    ? "down: " + state.get("api_error").asText() : "none");
        } else if (watcher.path("stale").asBoolean()) {
            table.add("watcher", "not running: it did not stop cleanly (" + pid + " is gone; last state "
                    + phase + " at " + updatedAt(state) + ")");
        } else {
            table.add("watcher", "not running (stopped at " + updatedAt(state) + ")");
        }
        if (state.path("last_error").isTextual()) {
            table.add("last error", state.get("last_error").asText());
        }
    }

    /** What the last whole scan of a watch path left out because of extensions, and how to index the media among them. */
    private void addLeftOut(Table table, JsonNode root) {
        JsonNode counted = root.path("left_out");
        if (!counted.isObject()) {
            return;
        }
        LeftOutReport leftOut = Json.MAPPER.convertValue(counted, LeftOutReport.class);
        if (leftOut.files() > 0) {
            table.add("left out", Output.text(root, "path") + ": " + leftOut.listing() + " (extension not indexed;"
                    + " last whole scan " + Output.isoLocal(Output.text(root, "left_out_counted_at"), zone()) + ")");
            if (leftOut.advice() != null) {
                table.add("", leftOut.advice());
            }
        }
    }

    private static void addVectors(Table table, JsonNode counts) {
        JsonNode models = counts.path("vectors");
        if (models.isEmpty()) {
            table.add("vectors", "none yet");
            return;
        }
        long assets = counts.path("assets").asLong();
        for (JsonNode model : models) {
            String name = model.path("model").asText() + " (" + model.path("dimension").asInt() + " dims)";
            if (EmbeddingModel.ACTIVE.equals(model.path("state").asText())) {
                table.add("vectors", model.path("vectors").asLong() + " of " + assets + " assets, " + name + ", searched");
            } else {
                table.add("", "re-embedding with " + name + ": " + model.path("vectors").asLong() + " of " + assets
                        + " assets; searched once complete");
            }
        }
    }

    /** When the watcher last wrote state.json, in this machine's zone, or "?". */
    private String updatedAt(JsonNode state) {
        String stored = Output.text(state, "updated_at");
        return stored == null ? "?" : Output.isoLocal(stored, zone());
    }

    private ZoneId zone() {
        return main.context().clock().getZone();
    }
}
