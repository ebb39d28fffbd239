package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.query.FailuresQuery;
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

@Command(name = "failures", mixinStandardHelpOptions = true,
        description = {"List the files whose last attempt failed, newest failure first: when, the stage that failed,"
                + " the file and why.", "'asset-index requeue' tries them again."})
final class FailuresCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most N files, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0",
            description = "Skip the newest N (for the next page).")
    int offset;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        Paging.check(limit, offset);
        JsonNode document = QueryAccess.ask(main, main.loadConfig(Map.of()), where.local,
                queries -> queries.failures(new FailuresQuery(limit, offset)));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(document));
            return ExitCode.OK;
        }
        long total = document.path("total").asLong();
        if (total == 0) {
            out.println("no file's last attempt failed");
            return ExitCode.OK;
        }
        JsonNode failures = document.path("failures");
        if (!failures.isEmpty()) {
            Table table = Table.withHeader("WHEN", "STAGE", "PATH", "REASON");
            for (JsonNode failure : failures) {
                String path = Output.text(failure, "path");
                table.add(Output.time(Output.text(failure, "ran_at"), main.context().clock().getZone()),
                        Output.text(failure, "stage"), failure.path("present").asBoolean() ? path : path + " (gone)",
                        Output.text(failure, "error"));
            }
            table.print(out, "");
        }
        out.println(summary(failures.size(), total, offset));
        return ExitCode.OK;
    }

    /** The last line: how many are shown of how many, and what tries them again. */
    static String summary(int shown, long total, int offset) {
        String files = total == 1 ? "1 file whose last attempt failed" : total + " files whose last attempt failed";
        String page = shown == total ? files : shown + " of " + files;
        String past = shown == 0 ? " (--offset " + offset + " is past the last)" : "";
        return page + past + "; 'asset-index requeue' tries " + (total == 1 ? "it" : "them") + " again";
    }
}
