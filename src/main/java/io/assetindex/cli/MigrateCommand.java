package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.PostgresUrl;
import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.store.IndexCopy;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexTarget;
import io.assetindex.util.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true,
        description = {"Copy the whole index into another, empty database: from the workspace's index (SQLite, or"
                + " PostgreSQL when database.url is set) to PostgreSQL, or back to an SQLite file.",
                "Every table is copied in one transaction (interrupted, the target keeps nothing: run it again), the"
                        + " keyword index is built there, and every table's rows are counted on both sides at the end."
                        + " Refuses a target that holds an index (exit 2) and a workspace whose watcher is running"
                        + " (exit 3). Then point database.url at the target (or remove it for SQLite).",
                "The PostgreSQL password comes from the variable database.password_env names, else ~/.pgpass."},
        footer = {"", "Examples:",
                "  asset-index migrate --to postgresql://indexer@db.example.com:5432/assets",
                "  asset-index migrate --to sqlite:/srv/media/.asset_index/index.db"})
final class MigrateCommand implements Callable<Integer> {
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "URL",
            description = {"postgresql://USER@HOST:PORT/DATABASE (an existing database, empty of asset-index tables or"
                    + " with empty ones), or sqlite:FILE / FILE: an SQLite index file, made if missing"
                    + " (e.g. OTHER_WORKSPACE/.asset_index/index.db)."})
    String to;

    @Option(names = "--json", description = "Print one JSON document: the tables and their row counts.")
    boolean json;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        IndexTarget target = target(config);
        String from = IndexAccess.target(config, main.context()).describe();
        if (from.equals(target.describe())) {
            throw new CommandFailure(ExitCode.USAGE, "bad --to: " + from + " is this workspace's index itself");
        }
        IndexAccess.requireExisting(config, main.context());
        long start = System.nanoTime();
        IndexCopy.Result result;
        try (InstanceLock lock = InstanceLock.acquire(config.workspace().lockFile(), ProcessIdentity.current());
                IndexDatabase source = IndexAccess.openExisting(config, main.context());
                IndexDatabase copy = IndexDatabase.open(target, 2, main.context().clock());
                MigrateProgress progress = new MigrateProgress(main.context().interactive(),
                        spec.commandLine().getErr())) {
            result = IndexCopy.copy(source, copy, progress);
        } catch (InstanceLock.HeldException e) {
            String holder = e.holder().map(p -> "pid " + p.pid()).orElse("another process");
            throw new CommandFailure(ExitCode.LOCKED, "a watcher (" + holder + ") is running on "
                    + config.workspace().root() + "; stop it before migrating (systemctl stop asset-index, or Ctrl-C)");
        } catch (IndexCopy.Refused e) {
            throw new CommandFailure(ExitCode.USAGE, e.getMessage());
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.FAILURE, "cannot take the workspace's lock: " + e.getMessage());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("from", from);
            document.put("to", target.describe());
            document.put("schema_version", result.schemaVersion());
            document.put("assets", result.assets());
            document.put("rows", result.rows());
            document.put("tables", result.tables());
            document.put("seconds", Math.round(seconds * 10) / 10.0);
            out.println(Json.pretty(document));
        } else {
            out.printf("migrate: %,d assets (%,d rows in %d tables) copied from %s to %s in %.1fs; the counts agree%n",
                    result.assets(), result.rows(), result.tables().size(), from, target.describe(), seconds);
            out.println(target instanceof IndexTarget.Postgres
                    ? "to use it, set database.url: " + target.describe() + " in asset-index.yaml"
                    : "to use it, put it at <workspace>/.asset_index/index.db and remove database.url from the config");
        }
        return ExitCode.OK;
    }

    /** The database --to names; exit 2 for one that is not a PostgreSQL URL or an SQLite file. */
    private IndexTarget target(AppConfig config) {
        if (to.startsWith("postgresql://") || to.startsWith("postgres://")) {
            PostgresUrl url;
            try {
                url = PostgresUrl.parse(to);
            } catch (IllegalArgumentException e) {
                throw new CommandFailure(ExitCode.USAGE, "bad --to: expected " + e.getMessage());
            }
            return IndexTarget.postgres(url, config.database().passwordEnv(), main.context().environment()::get);
        }
        String path = to.startsWith("sqlite:") ? to.substring("sqlite:".length()) : to;
        if (SCHEME.matcher(to).find() || path.isBlank()) {
            throw new CommandFailure(ExitCode.USAGE, "bad --to: expected postgresql://USER@HOST:PORT/DATABASE, or"
                    + " sqlite:FILE (an SQLite index file)");
        }
        Path file = main.context().currentDir().resolve(path);
        if (Files.isDirectory(file)) {
            throw new CommandFailure(ExitCode.USAGE, "bad --to: " + file + " is a folder; name the index file, e.g. "
                    + file.resolve(".asset_index/index.db"));
        }
        return new IndexTarget.SqliteFile(file);
    }
}
