package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.maintain.IndexExport;
import io.assetindex.maintain.OutputGuard;
import io.assetindex.store.IndexDatabase;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Write a portable export of the index: assets, their paths relative to the watch paths,"
                + " analysis results, vectors and thumbnails, as JSON Lines (gzipped if FILE ends in .gz).",
                "Load it into another workspace with 'asset-index import FILE'."})
final class ExportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE (default: stdout).")
    Path out;

    @Option(names = "--force", description = "Replace FILE if it exists.")
    boolean force;

    @Option(names = "--no-thumbnails", negatable = false,
            description = "Leave thumbnails out (smaller; the importing side makes them again from the media files).")
    boolean noThumbnails;

    @Option(names = "--json", description = "Print the summary as one JSON document (needs --out).")
    boolean json;

    @Override
    public Integer call() throws IOException {
        if (json && out == null) {
            throw new CommandFailure(ExitCode.USAGE, "--json needs --out FILE (without it, stdout carries the export)");
        }
        AppConfig config = main.loadConfig(Map.of());
        IndexExport.Result result;
        try (IndexDatabase database = IndexAccess.openExisting(config, main.context())) {
            IndexExport export = new IndexExport(database, config.workspace().dataDir(), !noThumbnails,
                    VersionProvider.version(), main.context().clock());
            if (out == null) {
                result = export.write(spec.commandLine().getOut());
            } else {
                result = export.toFile(main.context().currentDir().resolve(out), force,
                        new OutputGuard(config.workspace(), config.watchRoots()));
            }
        }
        if (json) {
            spec.commandLine().getOut().println(Json.pretty(result));
        } else if (out == null) {
            spec.commandLine().getErr().println("export: " + result.line());
        } else {
            spec.commandLine().getOut().println("export: " + result.line() + " to " + out);
        }
        return ExitCode.OK;
    }
}
