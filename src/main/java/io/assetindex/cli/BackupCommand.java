package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.maintain.IndexBackup;
import io.assetindex.maintain.OutputGuard;
import io.assetindex.store.IndexDatabase;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "backup", mixinStandardHelpOptions = true,
        description = {"Write a consistent copy of the index to FILE (SQLite VACUUM INTO), also while a watcher runs.",
                "Restore it with 'asset-index restore FILE'."})
final class BackupCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The backup file to write (must not exist unless --force).")
    Path file;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        IndexAccess.requireSqlite(config, "backup");
        IndexBackup.Result result;
        try (IndexDatabase database = IndexAccess.openExisting(config, main.context())) {
            result = IndexBackup.create(database, main.context().currentDir().resolve(file), force,
                    new OutputGuard(config.workspace(), config.watchRoots()));
        }
        if (json) {
            spec.commandLine().getOut().println(Json.pretty(result));
        } else {
            spec.commandLine().getOut().printf("backup: %s, %d assets, %s, schema version %d, in %.1fs%n",
                    result.file(), result.assets(), Text.bytes(result.sizeBytes()), result.schemaVersion(),
                    result.seconds());
        }
        return ExitCode.OK;
    }
}
