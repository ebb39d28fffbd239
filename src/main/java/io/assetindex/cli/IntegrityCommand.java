package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.MediaType;
import io.assetindex.query.IntegrityQuery;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "integrity", mixinStandardHelpOptions = true,
        subcommands = {IntegrityAcceptCommand.class, IntegrityRevokeCommand.class},
        description = {"List the files the integrity check judged corrupt (not indexed) and the indexed files it"
                + " found readable with warnings: the verdict, when it was last checked and since when, the file,"
                + " the tool and what it said. Corrupt files first, then warnings, then those accepted as good, each"
                + " most recently checked first.",
                "'asset-index requeue' checks the corrupt ones again once they are replaced; 'integrity accept'"
                        + " marks a false positive as good; integrity.ignore_patterns (config) makes a checker"
                        + " message a warning."})
final class IntegrityCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--root", paramLabel = "WATCH_PATH", description = "Only files under this watch path (as configured).")
    String root;

    @Option(names = "--type", paramLabel = "TYPE", description = "Only this media type: ${COMPLETION-CANDIDATES}.")
    FilterOptions.Type type;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50",
            description = "At most N files, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N (for the next page).")
    int offset;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        Paging.check(limit, offset);
        IntegrityQuery query = new IntegrityQuery(root, type == null ? null : MediaType.fromId(type.name()), limit,
                offset);
        JsonNode document = QueryAccess.ask(main, main.loadConfig(Map.of()), where.local,
                queries -> queries.integrity(query));
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(document));
            return ExitCode.OK;
        }
        JsonNode findings = document.path("findings");
        if (!findings.isEmpty()) {
            Table table = Table.withHeader("VERDICT", "CHECKED", "SINCE", "PATH", "TOOL", "WHAT IT SAID");
            ZoneId zone = main.context().clock().getZone();
            for (JsonNode finding : findings) {
                String path = Output.text(finding, "path");
                table.add(Output.text(finding, "verdict"),
                        Output.time(Output.text(finding, "checked_at"), main.context().clock().getZone()),
                        Output.time(Output.text(finding, "since"), main.context().clock().getZone()),
                        finding.path("present").asBoolean() ? path : path + " (gone)", Output.text(finding, "tool"),
                        finding.path("accepted").isObject()
                                ? Output.text(finding, "details") + " — " + Views.accepted(finding.get("accepted"), zone)
                                : Output.text(finding, "details"));
            }
            table.print(out, "");
        }
        out.println(summary(document, findings.size()));
        return ExitCode.OK;
    }

    /** The last line: the counts, and how many of them are shown. */
    static String summary(JsonNode document, int shown) {
        long total = document.path("total").asLong();
        long accepted = document.path("accepted").asLong();
        long bitRot = document.path("bit_rot").asLong();
        String counts = (bitRot > 0 ? bitRot + " with bit rot, " : "") + document.path("corrupt").asLong()
                + " corrupt, " + document.path("warnings").asLong() + " with warnings"
                + (accepted > 0 ? ", " + accepted + " accepted as good" : "");
        if (total == 0) {
            return "no file judged corrupt or with warnings, none accepted" + (document.at("/filters/root").isNull()
                    && document.at("/filters/type").isNull() ? "" : " among those asked for");
        }
        String page = shown == total ? counts : shown + " shown of " + total + " (" + counts + ")";
        return page + (shown == 0 ? " (--offset " + document.path("offset").asLong() + " is past the last)" : "")
                + (document.path("truncated").asBoolean() ? "; only the first 100,000 were read" : "");
    }
}
