package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.Workspace;
import com.fasterxml.jackson.core.type.TypeReference;
import io.assetindex.index.FileNames;
import io.assetindex.index.Reanalyzer;
import io.assetindex.scan.CrashRecovery;
import io.assetindex.scan.LeftOutReport;
import io.assetindex.scan.ScanListener;
import io.assetindex.scan.ScanOptions;
import io.assetindex.scan.ScanSummary;
import io.assetindex.scan.ScanTarget;
import io.assetindex.scan.ScanTargets;
import io.assetindex.scan.Indexing;
import io.assetindex.store.IndexStore;
import io.assetindex.store.RunKind;
import io.assetindex.util.Json;
import io.assetindex.log.LogFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "scan", mixinStandardHelpOptions = true,
        description = {"Index the watch paths (or the given paths) once and exit.",
                "Files whose size and mtime are unchanged since the last scan are not read again.",
                "Log lines go to .asset_index/logs/scan.out.log and scan.err.log."})
final class ScanCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH", arity = "0..*",
            description = "Folders or files to scan (default: every watch path). A path inside a watch path "
                    + "is indexed as part of it.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--rehash", description = "Hash every file, even when size and mtime are unchanged, and try again"
            + " every file that failed before.")
    boolean rehash;

    @Option(names = "--confirm-deletes", description = "Mark indexed files that are missing as deleted even where a watch"
            + " path (or a disk mounted in it) looks unmounted or emptied; without it, their deletions are held back.")
    boolean confirmDeletes;

    @Option(names = "--workers", paramLabel = "N", description = "Files hashed and analysed at once (default: config 'workers').")
    Integer workers;

    @Option(names = "--json", description = "Print the summary as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> flags = new HashMap<>();
        if (workers != null) {
            flags.put("workers", workers.toString());
        }
        AppConfig config = main.loadConfig(flags);
        List<ScanTarget> targets = ScanTargets.forPaths(config,
                paths.stream().map(p -> main.context().currentDir().resolve(p)).toList());
        try (LogFiles logs = main.openLogs(config, "scan")) {
            return scan(config, targets);
        }
    }

    private int scan(AppConfig config, List<ScanTarget> targets) {
        Workspace workspace = config.workspace();
        LOG.info("[scan] starting: {} (workers {})", targets.stream().map(t -> workspace.display(t.start())).toList(),
                config.workers());
        LOG.info("[config] {}", Json.write(config.describe()));

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        FileNames.encodingWarning().ifPresent(warning -> {
            LOG.warn("[scan] {}", warning);
            err.println("asset-index: warning: " + warning);
        });
        ScanSummary summary;
        Reanalyzer.Summary reanalysis;
        Map<String, Map<String, Long>> aiUsage;
        String aiLine;
        Map<String, Double> cpuByStage;
        try (IndexStore store = IndexAccess.openStore(config, main.context(), config.workers() + 2)) {
            Indexing indexing = Indexing.create(config, store, main.context().clock(),
                    main.context().environment()::get);
            CrashRecovery.Summary recovered = indexing.crashRecovery().run();
            if (recovered.failed() > 0) {
                err.println("asset-index: " + recovered.failed() + " files made a previous run stop twice and are"
                        + " recorded as failed; see them with: asset-index log --status failed");
            }
            ScanOptions options = new ScanOptions(rehash, true, confirmDeletes);
            try (ScanListener progress = main.context().interactive() && !json ? new ScanProgress() : ScanListener.NONE) {
                summary = indexing.scanner().scan(RunKind.SCAN, targets, options, progress);
            }
            LOG.info("[scan] {}", summary.line());
            if (main.context().interactive() && !json) {
                try (AssetProgress progress = new AssetProgress()) {
                    reanalysis = indexing.reanalyzer().run(progress);
                }
            } else {
                reanalysis = indexing.reanalyzer().run(Reanalyzer.Listener.NONE);
            }
            aiUsage = indexing.ai().usageMap();
            aiLine = indexing.ai().line();
            cpuByStage = indexing.indexer().times().seconds();
        }
        if (reanalysis.reanalyzed() + reanalysis.failed() + reanalysis.skipped() > 0) {
            LOG.info("[scan] re-analysis: {}", reanalysis.line());
        }
        for (String hold : summary.held()) {
            err.println("asset-index: " + hold + "; nothing there was marked deleted (an unmounted disk?). If the files"
                    + " are really gone: asset-index scan --confirm-deletes");
        }
        for (String root : summary.missingRoots()) {
            err.println("asset-index: watch path " + root + " does not exist (" + workspace.root().resolve(root)
                    + "); create it or fix watch_paths in " + workspace.root().resolve("asset-index.yaml"));
        }
        LeftOutReport leftOut = LeftOutReport.of(summary.leftOut(), config.mediaTypeByExtension());
        if (leftOut.files() > 0) {
            LOG.info("[scan] left out (extension not indexed): {}{}", leftOut.listing(),
                    leftOut.advice() == null ? "" : "; " + leftOut.advice());
        }
        if (json) {
            Map<String, Object> document = Json.MAPPER.convertValue(summary, new TypeReference<LinkedHashMap<String, Object>>() {});
            document.put("left_out", leftOut);
            document.put("reanalysis", reanalysis);
            document.put("ai", aiUsage);
            document.put("cpu_seconds_by_stage", cpuByStage);
            out.println(Json.pretty(document));
        } else {
            out.println("scan: " + summary.line());
            if (leftOut.files() > 0) {
                out.println("left out (extension not indexed): " + leftOut.listing());
                if (leftOut.advice() != null) {
                    out.println("  " + leftOut.advice());
                }
            }
            if (reanalysis.reanalyzed() + reanalysis.failed() + reanalysis.skipped() > 0) {
                out.println("re-analysis (AI enrichment, changed settings or missing results): " + reanalysis.line());
            }
            if (!aiLine.isEmpty()) {
                out.println("AI: " + aiLine);
            }
            if (summary.failed() + reanalysis.failed() > 0) {
                out.println("see why with: asset-index log --status failed");
            }
        }
        boolean nothingScanned = summary.missingRoots().size() == targets.size();
        return nothingScanned ? ExitCode.FAILURE : ExitCode.OK;
    }
}
