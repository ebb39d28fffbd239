package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.query.LogQuery;
import io.assetindex.store.ProcessStatus;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        LogQuery query = new LogQuery(status == null ? null : ProcessStatus.fromId(status.name()), limit, offset);
        JsonNode document = QueryAccess.ask(main, main.loadConfig(Map.of()), where.local,
                queries -> queries.log(query));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(document));
            return ExitCode.OK;
        }
        JsonNode entries = document.path("entries");
        if (entries.isEmpty()) {
            out.println("no attempts" + (status == null ? "" : " with status " + status) + " in the log");
            return ExitCode.OK;
        }
        Table table = Table.withHeader("TIME", "STATUS", "MS", "PATH", "WHAT");
        for (JsonNode entry : entries) {
            table.add(Output.time(Output.text(entry, "ran_at"), main.context().clock().getZone()),
                    Output.text(entry, "status"), entry.path("duration_ms").asLong(), Output.text(entry, "file_path"),
                    Views.what(entry));
        }
        table.print(out, "");
        return ExitCode.OK;
    }
}
