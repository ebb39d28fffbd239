package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.LogEntry;
import io.assetindex.store.ProcessStatus;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "log", mixinStandardHelpOptions = true,
        description = "Show the process_log audit trail, newest first: every attempt at a file.")
final class LogCommand implements Callable<Integer> {

    /** The statuses, as typed on the command line. */
    enum Status {
        ok, skipped, failed
    }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only attempts with this status: ${COMPLETION-CANDIDATES}.")
    Status status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "At most N rows (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the newest N rows.")
    int offset;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        if (limit < 1 || offset < 0) {
            throw new CommandFailure(ExitCode.USAGE, "--limit must be at least 1 and --offset at least 0");
        }
        AppConfig config = main.loadConfig(Map.of());
        List<LogEntry> entries;
        try (IndexDatabase database = IndexAccess.openExisting(config.workspace(), main.context().clock())) {
            entries = new IndexReader(database).log(
                    status == null ? null : ProcessStatus.fromId(status.name()), limit, offset);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(Map.of("entries", entries.stream().map(e -> Views.logEntry(e, zone())).toList())));
            return ExitCode.OK;
        }
        if (entries.isEmpty()) {
            out.println("no attempts" + (status == null ? "" : " with status " + status) + " in the log");
            return ExitCode.OK;
        }
        Table table = Table.withHeader("TIME", "STATUS", "MS", "PATH", "WHAT");
        for (LogEntry entry : entries) {
            table.add(Views.time(entry.ranAt(), zone()), entry.status().id(), entry.durationMs(), entry.filePath(),
                    Views.what(entry));
        }
        table.print(out, "");
        return ExitCode.OK;
    }

    private ZoneId zone() {
        return main.context().clock().getZone();
    }
}
