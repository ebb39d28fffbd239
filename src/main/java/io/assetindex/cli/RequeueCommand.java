package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.Workspace;
import io.assetindex.index.Analyzer;
import io.assetindex.index.Reanalyzer;
import io.assetindex.log.LogFiles;
import io.assetindex.scan.FailedFiles;
import io.assetindex.scan.Indexing;
import io.assetindex.scan.ScanListener;
import io.assetindex.store.IndexStore;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "requeue", mixinStandardHelpOptions = true,
        description = {"Try again what failed: files whose last attempt failed (read and indexed again) and "
                + "analyzers without a result (an AI model that was down); or run one analyzer again.",
                "Results already cached are reused, so only what is missing is computed (and paid for)."})
final class RequeueCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--status", paramLabel = "STATUS", defaultValue = "failed",
            description = "What to try again: failed (default; the only value).")
    String status;

    @Option(names = "--analyzer", paramLabel = "NAME",
            description = "Only this analyzer (probe, integrity, thumbnail, transcribe, describe, embed): for the "
                    + "assets it has no result for.")
    String analyzerName;

    @Option(names = "--all", description = "With --analyzer: run it for every asset, replacing its results "
            + "(for an AI analyzer, one paid call per asset).")
    boolean all;

    @Option(names = "--json", description = "Print the summary as one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        if (!status.equals("failed")) {
            throw new CommandFailure(ExitCode.USAGE, "--status must be failed (the only attempts to try again)");
        }
        if (all && analyzerName == null) {
            throw new CommandFailure(ExitCode.USAGE, "--all needs --analyzer NAME (which analyzer to run for every asset)");
        }
        AppConfig config = main.loadConfig(Map.of());
        Workspace workspace = config.workspace();
        IndexAccess.requireExisting(config, main.context());
        Map<String, Object> report = new LinkedHashMap<>();
        try (LogFiles logs = main.openLogs(config, "requeue");
                IndexStore store = IndexAccess.openStore(config, main.context(), config.workers() + 2)) {
            Indexing indexing = Indexing.create(config, store, main.context().clock(), main.context().environment()::get);
            Reanalyzer.Summary reanalysis;
            Analyzer analyzer = analyzerName == null ? null : analyzer(indexing);
            if (analyzer == null) {
                report.put("files", retryFailedFiles(config, store, indexing));
            }
            try (AssetProgress progress = main.context().interactive() && !json ? new AssetProgress() : null) {
                Reanalyzer.Listener listener = progress == null ? Reanalyzer.Listener.NONE : progress;
                if (analyzer == null) {
                    reanalysis = indexing.reanalyzer().run(listener, true);
                } else {
                    LOG.info("[requeue] {} for {} assets", analyzer.name(), all ? "all" : "the missing");
                    reanalysis = indexing.reanalyzer().rerun(analyzer, all, listener);
                }
            }
            report.put("reanalysis", reanalysis);
            report.put("ai", indexing.ai().usageMap());
            print(report, reanalysis, indexing.ai().line());
        }
        return ExitCode.OK;
    }

    private Analyzer analyzer(Indexing indexing) {
        List<Analyzer> analyzers = indexing.reanalyzer().analyzers();
        Optional<Analyzer> found = analyzers.stream().filter(a -> a.name().equals(analyzerName)).findFirst();
        return found.orElseThrow(() -> new CommandFailure(ExitCode.USAGE, "no analyzer '" + analyzerName
                + "' in this configuration; the analyzers are: "
                + String.join(", ", analyzers.stream().map(Analyzer::name).toList())
                + " (transcribe and describe only when ai.*.model is set)"));
    }

    /** Indexes again the files whose last attempt failed and that are still there. */
    private static FailedFiles.Retried retryFailedFiles(AppConfig config, IndexStore store, Indexing indexing) {
        FailedFiles failed = FailedFiles.find(config, store);
        FailedFiles.Retried retried = failed.retry(config, indexing, ScanListener.NONE);
        if (!failed.present().isEmpty()) {
            LOG.info("[requeue] failed files tried again: {} indexed, {} failed again", retried.indexed(),
                    retried.failed());
        }
        return retried;
    }

    private void print(Map<String, Object> report, Reanalyzer.Summary reanalysis, String aiLine) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.pretty(report));
            return;
        }
        if (report.get("files") instanceof FailedFiles.Retried files) {
            out.println("requeue: " + files.failedBefore() + " failed files: " + files.indexed() + " indexed, "
                    + files.failed() + " failed again, " + files.gone() + " gone");
        }
        out.println((analyzerName == null ? "re-analysis: " : analyzerName + ": ") + reanalysis.line());
        if (!aiLine.isEmpty()) {
            out.println("AI: " + aiLine);
        }
    }
}
