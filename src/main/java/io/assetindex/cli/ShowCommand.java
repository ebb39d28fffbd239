package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.AppConfig;
import io.assetindex.query.Documents;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.scan.Indexing;
import io.assetindex.store.CachedAnalysis;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.LogEntry;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import io.assetindex.util.Timestamps;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show one asset: its metadata, every path that holds it, what each analyzer found"
                + " (integrity, thumbnail ...) and its latest attempts.",
                "For a file that is not indexed (a corrupt one), show why: exit code 1."})
final class ShowCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH|ID", description = "A file path, or an asset id (SHA-256; a unique prefix of 6+ characters is enough).")
    String target;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Mixin
    LocalOption where;

    private Path dataDir;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        dataDir = config.workspace().dataDir();
        PrintWriter out = spec.commandLine().getOut();
        Optional<String> id = AssetTarget.isId(target, main.context().currentDir()) ? Optional.of(target)
                : AssetTarget.assetAt(config, target, main.context());
        if (id.isPresent()) {
            try (Queries queries = QueryAccess.open(main, config, where.local)) {
                JsonNode document = queries.show(id.get());
                if (json) {
                    out.println(Json.pretty(document));
                } else {
                    printHuman(out, document);
                }
                return ExitCode.OK;
            } catch (QueryException e) {
                if (e.kind() != QueryException.Kind.NOT_FOUND) {
                    throw QueryAccess.failure(e);
                }
            }
        }
        return explainNotIndexed(config, out);
    }

    /**
     * A file that is on disk but not in the index: what its latest attempts say and what the
     * analyzers found (a corrupt file's integrity verdict). Exit code 1: there is no asset. Read
     * in this process: the API reaches assets by id, and this file has none.
     */
    private int explainNotIndexed(AppConfig config, PrintWriter out) {
        IndexAccess.requireExisting(config, main.context());
        Path path = main.context().currentDir().resolve(target).toAbsolutePath().normalize();
        String shown = displayPath(config, path);
        JsonNode document;
        try (IndexDatabase database = IndexAccess.openExisting(config, main.context())) {
            IndexReader reader = new IndexReader(database);
            List<LogEntry> attempts = reader.attemptsFor(shown, 10);
            if (attempts.isEmpty()) {
                throw notFound();
            }
            String hash = attempts.stream().map(LogEntry::contentHash).filter(h -> h != null).findFirst().orElse(null);
            List<CachedAnalysis> analyses = hash == null ? List.of() : reader.analysesOf(hash);
            document = Json.MAPPER.valueToTree(Documents.notIndexed(shown, hash, analyses, Indexing.settings(config),
                    hash == null ? null : reader.acceptance(hash).orElse(null), attempts, zone()));
        }
        if (json) {
            out.println(Json.pretty(document));
        } else {
            JsonNode attempts = document.path("attempts");
            out.println(Text.escapeControls(shown) + " is not in the index: " + Views.what(attempts.get(0)));
            if (!document.path("analyses").isEmpty()) {
                out.println();
                out.println("analyses:");
                printAnalyses(out, document.path("analyses"));
            }
            printAcceptance(out, document.path("integrity_accepted"));
            out.println();
            out.println("latest attempts:");
            printAttempts(out, attempts);
        }
        return ExitCode.FAILURE;
    }

    private static String displayPath(AppConfig config, Path path) {
        return config.rootContaining(path)
                .map(root -> root.displayPath(root.relativeName(path)))
                .orElse(config.workspace().display(path));
    }

    private CommandFailure notFound() {
        Path path = main.context().currentDir().resolve(target).toAbsolutePath().normalize();
        if (Files.isRegularFile(path)) {
            return new CommandFailure(ExitCode.FAILURE, Text.escapeControls(path.toString())
                    + " is not in the index; run 'asset-index scan', or see 'asset-index log' for why it failed");
        }
        return AssetTarget.notFound(target);
    }

    private void printHuman(PrintWriter out, JsonNode document) {
        Table facts = Table.plain(2);
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("asset").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> column = it.next();
            if (!column.getValue().isNull() && !column.getKey().equals("raw_json")) {
                facts.add(column.getKey(), humanValue(column.getKey(), column.getValue()));
            }
        }
        facts.print(out, "");

        out.println();
        out.println("paths:");
        Table paths = Table.plain(2);
        for (JsonNode row : document.path("paths")) {
            String deleted = Output.text(row, "deleted_at");
            String state = deleted != null ? "deleted " + Output.isoLocal(deleted, zone())
                    : "seen " + Output.isoLocal(Output.text(row, "last_seen_at"), zone());
            String host = Output.text(row, "host");
            paths.add(host == null ? Output.text(row, "path") : host + ":" + Output.text(row, "path"), state);
        }
        paths.print(out, "  ");

        if (!document.path("analyses").isEmpty()) {
            out.println();
            out.println("analyses:");
            printAnalyses(out, document.path("analyses"));
        }
        printAcceptance(out, document.path("integrity_accepted"));

        out.println();
        out.println("latest attempts:");
        printAttempts(out, document.path("attempts"));
    }

    /** Who accepted the content as good despite its integrity verdict, when nobody revoked it. */
    private void printAcceptance(PrintWriter out, JsonNode accepted) {
        if (accepted.isObject()) {
            out.println();
            out.println("integrity: " + Views.accepted(accepted, zone()));
        }
    }

    /** What each analyzer found, then what it was computed with: one line per result in each part. */
    private void printAnalyses(PrintWriter out, JsonNode analyses) {
        Table table = Table.plain(2);
        analyses.forEach(analysis -> table.add(Output.text(analysis, "analyzer"), Views.summary(analysis, dataDir)));
        table.print(out, "  ");
        out.println();
        out.println("analysis settings:");
        Table settings = Table.plain(5);
        analyses.forEach(analysis -> settings.add(Output.text(analysis, "analyzer"),
                Views.shortHash(Output.text(analysis, "config_hash")),
                Output.time(Output.text(analysis, "computed_at"), zone()), Views.settingsState(analysis),
                Views.settings(analysis.path("settings"))));
        settings.print(out, "  ");
    }

    private void printAttempts(PrintWriter out, JsonNode entries) {
        Table attempts = Table.plain(4);
        for (JsonNode entry : entries) {
            attempts.add(Output.time(Output.text(entry, "ran_at"), zone()), Output.text(entry, "status"),
                    Output.text(entry, "file_path"), Views.what(entry));
        }
        attempts.print(out, "  ");
    }

    /** Column values as people read them: sizes with units, times local. */
    private Object humanValue(String column, JsonNode value) {
        return switch (column) {
            case "size_bytes" -> value.asLong() + " (" + Text.bytes(value.asLong()) + ")";
            case "mtime" -> Timestamps.local(Instant.ofEpochMilli(Math.round(value.asDouble() * 1000)), zone());
            case "indexed_at" -> Output.isoLocal(value.asText(), zone());
            default -> value.isTextual() ? value.asText() : value.toString();
        };
    }

    private ZoneId zone() {
        return main.context().clock().getZone();
    }
}
