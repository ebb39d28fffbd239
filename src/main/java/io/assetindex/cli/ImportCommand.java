package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.index.EmbedAnalyzer;
import io.assetindex.maintain.IndexImport;
import io.assetindex.store.IndexDatabase;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Merge an export made by 'asset-index export' into this workspace's index, without analysing"
                + " anything again: the content hash is the identity, newer analysis results win.",
                "Every path must lie under a watch path of this workspace; the file is checked whole before anything"
                        + " is written."})
final class ImportCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The export file (plain or gzipped).")
    Path file;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        String embedHash = EmbedAnalyzer.settings(config.embedding().identity()).configHash();
        IndexImport importer = new IndexImport(config.workspace().dataDir(), config.watchRoots(),
                IndexImport.EmbeddingTarget.of(config.embedding(), embedHash), main.context().clock());
        IndexImport.Report report;
        // The whole file is checked before the index is opened: a refused file creates nothing.
        try (IndexImport.Checked checked = importer.check(main.context().currentDir().resolve(file));
                IndexDatabase database = IndexDatabase.open(IndexAccess.target(config, main.context()), 2,
                        main.context().clock(), config.hostName());
                AssetProgress progress = main.context().interactive() && !json ? new AssetProgress() : null) {
            report = importer.merge(checked, database, progress == null ? IndexImport.Listener.NONE : progress);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(report));
        } else {
            out.println("import: " + report.line());
            if (report.vectorsLeftOut() != null) {
                out.println("vectors left out: " + report.vectorsLeftOut());
            }
        }
        return ExitCode.OK;
    }
}
