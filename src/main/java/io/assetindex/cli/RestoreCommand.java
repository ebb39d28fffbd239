package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.Workspace;
import io.assetindex.maintain.IndexRestore;
import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.store.IndexUseLock;
import io.assetindex.util.Json;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Replace the index with a backup made by 'asset-index backup'. Refuses while a watcher runs"
                + " or another command has the index open (exit code 3); the replaced index is kept as"
                + " .asset_index/index.db.before-restore-<UTC time>."})
final class RestoreCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The backup file.")
    Path file;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        IndexAccess.requireSqlite(config, "restore");
        Workspace workspace = config.workspace();
        IndexRestore.Result result;
        try {
            result = IndexRestore.restore(workspace, main.context().currentDir().resolve(file),
                    ProcessIdentity.current(), main.context().clock());
        } catch (InstanceLock.HeldException e) {
            String holder = e.holder().map(p -> "pid " + p.pid()).orElse("another process");
            throw new CommandFailure(ExitCode.LOCKED, "a watcher (" + holder + ") is running on " + workspace.root()
                    + "; stop it before restoring (systemctl stop asset-index, or Ctrl-C)");
        } catch (IndexUseLock.InUseException e) {
            throw new CommandFailure(ExitCode.LOCKED, e.getMessage() + "; nothing was restored");
        }
        if (json) {
            spec.commandLine().getOut().println(Json.pretty(result));
        } else {
            spec.commandLine().getOut().println("restore: " + result.index() + " now holds " + result.assets()
                    + " assets (schema version " + result.schemaVersion() + ")"
                    + (result.kept() == null ? "" : "; the previous index is kept as " + result.kept()));
        }
        return ExitCode.OK;
    }
}
