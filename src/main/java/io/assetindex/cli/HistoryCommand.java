package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.query.HistoryQuery;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
        description = {"List the past runs, newest first: scans, the watcher's scan on start and its rescans, and"
                + " verifications; when each started, how long it took, what it found (files seen, indexed, skipped,"
                + " failed, deleted; corrupt files and files with warnings) and how it ended.",
                "A run whose process died before it ended (killed, a crash, a power cut) says 'did not finish'."})
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--kind", paramLabel = "KIND",
            description = "Only runs of this kind: scan, scan-on-start, rescan, verify, verification.")
    String kind;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N runs, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the newest N (for the next page).")
    int offset;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        Paging.check(limit, offset);
        JsonNode document = QueryAccess.ask(main, main.loadConfig(Map.of()), where.local,
                queries -> queries.history(new HistoryQuery(kind, limit, offset)));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(document));
            return ExitCode.OK;
        }
        JsonNode runs = document.path("runs");
        if (!runs.isEmpty()) {
            Table table = Table.withHeader("STARTED", "KIND", "STATUS", "TOOK", "SEEN", "INDEXED", "NEW PATHS",
                    "SKIPPED", "FAILED", "DELETED", "CORRUPT", "WARNINGS", "PATHS", "NOTES");
            for (JsonNode run : runs) {
                JsonNode counts = run.path("counts");
                table.add(Output.time(Output.text(run, "started_at"), main.context().clock().getZone()),
                        Output.text(run, "kind"), status(run), took(run), Output.text(counts, "seen"),
                        Output.text(counts, "indexed"), Output.text(counts, "linked"), Output.text(counts, "skipped"),
                        Output.text(counts, "failed"), Output.text(counts, "deleted"), Output.text(counts, "corrupt"),
                        Output.text(counts, "warnings"), paths(run), notes(run));
            }
            table.print(out, "");
        }
        out.println(summary(document, runs.size()));
        return ExitCode.OK;
    }

    /** How it ended, in words; a run whose process is gone says so loudly. */
    static String status(JsonNode run) {
        String status = Output.text(run, "status");
        return "unfinished".equals(status) ? "DID NOT FINISH" : status;
    }

    /** How long it took (or has been running): 0.4s, 12m 5s. */
    static String took(JsonNode run) {
        JsonNode seconds = run.path("duration_seconds");
        if (!seconds.isNumber()) {
            return null;
        }
        String took = seconds.asDouble() < 60 ? String.format(Locale.ROOT, "%.1fs", seconds.asDouble())
                : Text.duration(Duration.ofMillis((long) (seconds.asDouble() * 1000)));
        return "running".equals(Output.text(run, "status")) ? took + " so far" : took;
    }

    private static String paths(JsonNode run) {
        List<String> paths = new ArrayList<>();
        run.path("paths").forEach(path -> paths.add(path.asText()));
        return paths.isEmpty() ? null : String.join(", ", paths);
    }

    /** What a verification read and found, and the run's notes. */
    private static String notes(JsonNode run) {
        List<String> notes = new ArrayList<>();
        String kind = Output.text(run, "kind");
        JsonNode counts = run.path("counts");
        if (("verify".equals(kind) || "verification".equals(kind)) && counts.isObject()) {
            notes.add("read " + Text.bytes(counts.path("bytes_read").asLong()) + ", "
                    + counts.path("bit_rot").asLong() + " bit rot");
        }
        String text = Output.text(run, "notes");
        if (text != null) {
            notes.add(text);
        }
        return notes.isEmpty() ? null : String.join("; ", notes);
    }

    /** The last line: how many runs are shown of how many. */
    static String summary(JsonNode document, int shown) {
        long total = document.path("total").asLong();
        String kind = Output.text(document, "kind");
        String runs = (total == 1 ? "1 run" : total + " runs") + (kind == null ? "" : " of kind " + kind);
        if (total == 0) {
            return "no " + (kind == null ? "" : kind + " ") + "runs recorded yet";
        }
        String page = shown == total ? runs : shown + " of " + runs + " shown";
        return page + (shown == 0 ? " (--offset " + document.path("offset").asLong() + " is past the last)" : "");
    }
}
