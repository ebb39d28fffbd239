package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.Workspace;
import io.assetindex.index.Sha256Hasher;
import io.assetindex.log.LogFiles;
import io.assetindex.maintain.Verifier;
import io.assetindex.scan.Indexing;
import io.assetindex.store.IndexStore;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Check every indexed path against the disk and fix the index: vanished paths are marked deleted,"
                + " files changed behind the index's back are indexed again; with --rehash, every file is read and"
                + " compared with its recorded SHA-256.",
                "Media files are only read, never changed. Paths under a missing watch path are kept."})
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--rehash", description = "Also hash every file whose size and mtime are unchanged.")
    boolean rehash;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        Workspace workspace = config.workspace();
        IndexAccess.requireExisting(config, main.context());
        Verifier.Report report;
        try (LogFiles logs = main.openLogs(config, "verify");
                IndexStore store = IndexAccess.openStore(config, main.context(), 3)) {
            Indexing indexing =
                    Indexing.create(config, store, main.context().clock(), main.context().environment()::get);
            Verifier verifier = new Verifier(store, indexing.indexer(), indexing.filter(), new Sha256Hasher(),
                    workspace.dataDir());
            try (Verifier.Progress progress = main.context().interactive() && !json ? new VerifyProgress()
                    : Verifier.Progress.NONE) {
                report = verifier.verify(config.watchRoots(), rehash, progress);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        for (String root : report.missingRoots()) {
            err.println("asset-index: watch path " + root + " is missing; its paths were not checked and are kept");
        }
        if (json) {
            out.println(Json.pretty(report));
            return ExitCode.OK;
        }
        if (!report.findings().isEmpty()) {
            Table table = Table.withHeader("PATH", "FOUND", "DONE");
            report.findings().forEach(f -> table.add(f.path(), f.problem(), f.action()));
            table.print(out, "");
        }
        out.println("verify: " + report.line());
        return ExitCode.OK;
    }
}
