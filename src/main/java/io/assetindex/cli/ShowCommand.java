package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetDetails;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
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

    private Path dataDir;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        dataDir = config.workspace().dataDir();
        PrintWriter out = spec.commandLine().getOut();
        try (IndexDatabase database = IndexAccess.openExisting(config.workspace(), main.context().clock())) {
            IndexReader reader = new IndexReader(database);
            Optional<AssetDetails> asset = AssetTarget.resolve(reader, target, main.context().currentDir())
                    .flatMap(reader::asset);
            if (asset.isPresent()) {
                if (json) {
                    out.println(Json.pretty(toJson(asset.get())));
                } else {
                    printHuman(out, asset.get());
                }
                return ExitCode.OK;
            }
            return explainNotIndexed(config, reader, out);
        }
    }

    /**
     * A file that is on disk but not in the index: what its latest attempts say and what the
     * analyzers found (a corrupt file's integrity verdict). Exit code 1: there is no asset.
     */
    private int explainNotIndexed(AppConfig config, IndexReader reader, PrintWriter out) {
        Path path = main.context().currentDir().resolve(target).toAbsolutePath().normalize();
        String shown = displayPath(config, path);
        List<LogEntry> attempts = reader.attemptsFor(shown, 10);
        if (attempts.isEmpty()) {
            throw notFound();
        }
        String hash = attempts.stream().map(LogEntry::contentHash).filter(h -> h != null).findFirst().orElse(null);
        List<AnalysisRecord> analyses = hash == null ? List.of() : reader.analysesOf(hash);
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("asset", null);
            document.put("path", shown);
            document.put("content_hash", hash);
            document.put("analyses", analyses.stream().map(Views::analysis).toList());
            document.put("attempts", attempts.stream().map(e -> Views.logEntry(e, zone())).toList());
            out.println(Json.pretty(document));
        } else {
            LogEntry last = attempts.get(0);
            out.println(Text.escapeControls(shown) + " is not in the index: " + Views.what(last));
            if (!analyses.isEmpty()) {
                out.println();
                out.println("analyses:");
                Table table = Table.plain(2);
                analyses.forEach(a -> table.add(a.analyzer(), Views.summary(a, dataDir)));
                table.print(out, "  ");
            }
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

    private Map<String, Object> toJson(AssetDetails asset) {
        Map<String, Object> columns = new LinkedHashMap<>(asset.columns());
        Object raw = columns.get("raw_json");
        if (raw instanceof String text) {
            columns.put("raw_json", Json.read(text));
        }
        columns.put("indexed_at", Views.isoLocal((String) columns.get("indexed_at"), zone()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asset", columns);
        out.put("paths", asset.paths().stream().map(this::pathJson).toList());
        out.put("analyses", asset.analyses().stream().map(Views::analysis).toList());
        out.put("attempts", asset.attempts().stream().map(e -> Views.logEntry(e, zone())).toList());
        return out;
    }

    private Map<String, Object> pathJson(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>(row);
        out.put("path", WatchRoot.displayPath((String) row.get("source_root"), (String) row.get("rel_path")));
        for (String key : List.of("first_seen_at", "last_seen_at", "deleted_at")) {
            out.put(key, Views.isoLocal((String) row.get(key), zone()));
        }
        return out;
    }

    private void printHuman(PrintWriter out, AssetDetails asset) {
        Table facts = Table.plain(2);
        for (Map.Entry<String, Object> column : asset.columns().entrySet()) {
            if (column.getValue() != null && !column.getKey().equals("raw_json")) {
                facts.add(column.getKey(), humanValue(column.getKey(), column.getValue()));
            }
        }
        facts.print(out, "");

        out.println();
        out.println("paths:");
        Table paths = Table.plain(2);
        for (Map<String, Object> row : asset.paths()) {
            String shown = WatchRoot.displayPath((String) row.get("source_root"), (String) row.get("rel_path"));
            String state = row.get("deleted_at") != null
                    ? "deleted " + Views.isoLocal((String) row.get("deleted_at"), zone())
                    : "seen " + Views.isoLocal((String) row.get("last_seen_at"), zone());
            paths.add(shown, state);
        }
        paths.print(out, "  ");

        if (!asset.analyses().isEmpty()) {
            out.println();
            out.println("analyses:");
            Table analyses = Table.plain(2);
            asset.analyses().forEach(a -> analyses.add(a.analyzer(), Views.summary(a, dataDir)));
            analyses.print(out, "  ");
        }

        out.println();
        out.println("latest attempts:");
        printAttempts(out, asset.attempts());
    }

    private void printAttempts(PrintWriter out, List<LogEntry> entries) {
        Table attempts = Table.plain(4);
        for (LogEntry entry : entries) {
            attempts.add(Views.time(entry.ranAt(), zone()), entry.status().id(), entry.filePath(), Views.what(entry));
        }
        attempts.print(out, "  ");
    }

    /** Column values as people read them: sizes with units, times local. */
    private Object humanValue(String column, Object value) {
        return switch (column) {
            case "size_bytes" -> value + " (" + Text.bytes(((Number) value).longValue()) + ")";
            case "mtime" -> Timestamps.local(Instant.ofEpochMilli(Math.round(((Number) value).doubleValue() * 1000)), zone());
            case "indexed_at" -> Views.isoLocal((String) value, zone());
            default -> value;
        };
    }

    private ZoneId zone() {
        return main.context().clock().getZone();
    }
}
