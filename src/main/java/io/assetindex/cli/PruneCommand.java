package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.maintain.Pruner;
import io.assetindex.store.IndexDatabase;
import io.assetindex.util.Json;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Purge deleted paths, assets no path holds any more (with their vectors, analysis results and"
                + " thumbnails), and process_log rows older than process_log_retention_days.",
                "Only the index and .asset_index/ are changed, never media."})
final class PruneCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--older-than", paramLabel = "DAYS", defaultValue = "0",
            description = "Only purge paths deleted more than DAYS days ago"
                    + " (default: ${DEFAULT-VALUE}, every deleted path).")
    double olderThanDays;

    @Option(names = "--dry-run", description = "Count what would be purged, purge nothing.")
    boolean dryRun;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Override
    public Integer call() {
        if (olderThanDays < 0 || olderThanDays > 36_500) {
            throw new CommandFailure(ExitCode.USAGE, "--older-than takes a number of days from 0 to 36500");
        }
        AppConfig config = main.loadConfig(Map.of());
        Pruner.Report report;
        try (IndexDatabase database = IndexAccess.openExisting(config, main.context())) {
            report = new Pruner(database, config.workspace().dataDir(), main.context().clock())
                    .prune(Duration.ofSeconds(Math.round(olderThanDays * 86_400)), config.processLogRetentionDays(),
                            dryRun);
        }
        spec.commandLine().getOut().println(json ? Json.pretty(report) : "prune: " + report.line());
        return ExitCode.OK;
    }
}
