package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.log.LogFiles;
import io.assetindex.scan.Indexing;
import io.assetindex.scan.IntegrityDecisions;
import io.assetindex.store.IndexStore;
import io.assetindex.store.IntegrityLedger;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What {@code integrity accept} and {@code integrity revoke} share: the content named by a path or
 * a hash, the index opened for writing with the configured pipeline (the files are read again),
 * and the report. Runs in this process beside a running watcher, as {@code requeue} does.
 */
abstract class IntegrityDecisionCommand implements Callable<Integer> {

    @ParentCommand
    IntegrityCommand parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PATH|HASH",
            description = "A file (as on disk, or as 'asset-index integrity' shows it from the workspace), or its"
                    + " content's SHA-256 (6 characters or more of it).")
    String target;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    /** "accept" or "revoke". */
    abstract String action();

    abstract IntegrityDecisions.Outcome decide(IntegrityDecisions decisions, String contentHash);

    /** The line said of the outcome. */
    abstract String line(IntegrityDecisions.Outcome outcome);

    @Override
    public Integer call() {
        Main main = parent.main;
        AppConfig config = main.loadConfig(Map.of());
        IndexAccess.requireExisting(config, main.context());
        IntegrityDecisions.Outcome outcome;
        try (LogFiles logs = main.openLogs(config, "integrity");
                IndexStore store = IndexAccess.openStore(config, main.context(), config.workers() + 2)) {
            String contentHash = contentOf(config, store.integrity(), target, main.context().currentDir());
            Indexing indexing = Indexing.create(config, store, main.context().clock(), main.context().environment()::get);
            outcome = decide(new IntegrityDecisions(config, store, indexing, main.context().clock()), contentHash);
        } catch (IntegrityDecisions.Refused e) {
            throw new CommandFailure(ExitCode.FAILURE, e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("action", action());
            document.put("content_hash", outcome.contentHash());
            document.put("changed", outcome.changed());
            document.put("verdict", outcome.verdict());
            document.put("paths", outcome.paths());
            document.put("indexed", outcome.indexed());
            document.put("failed", outcome.failed());
            out.println(Json.pretty(document));
        } else {
            out.println(Text.escapeControls(line(outcome)));
            if (!outcome.paths().isEmpty()) {
                out.println("read again: " + outcome.paths().size() + " files (" + outcome.indexed() + " indexed, "
                        + outcome.failed() + " failed): " + Text.escapeControls(String.join(", ",
                                outcome.paths().stream().limit(10).toList()))
                        + (outcome.paths().size() > 10 ? ", …" : ""));
            }
        }
        return ExitCode.OK;
    }

    /** The content a target names: a hash or prefix among the checked contents, else the content recorded at a path. */
    private static String contentOf(AppConfig config, IntegrityLedger ledger, String target, Path currentDir) {
        if (AssetTarget.isId(target, currentDir)) {
            List<String> found = ledger.checkedContents(target);
            if (found.size() == 1) {
                return found.get(0);
            }
            throw new CommandFailure(ExitCode.FAILURE, found.isEmpty()
                    ? "no checked content's SHA-256 starts with " + target + " ('asset-index integrity' lists them)"
                    : "more than one checked content's SHA-256 starts with " + target + "; give more of it");
        }
        Path file = currentDir.resolve(target).toAbsolutePath().normalize();
        Path inWorkspace = config.workspace().root().resolve(target).normalize();
        Optional<WatchRoot> root = config.rootContaining(file);
        if (root.isEmpty() && config.rootContaining(inWorkspace).isPresent()) {
            file = inWorkspace;
            root = config.rootContaining(file);
        }
        if (root.isEmpty()) {
            throw new CommandFailure(ExitCode.FAILURE, Text.escapeControls(target) + " is not in a watch path ("
                    + String.join(", ", config.watchRoots().stream().map(WatchRoot::name).toList()) + ")");
        }
        Path found = file;
        WatchRoot watchPath = root.get();
        return ledger.contentAt(watchPath.name(), watchPath.relativeName(found)).orElseThrow(() -> new CommandFailure(
                ExitCode.FAILURE, "nothing is recorded for " + Text.escapeControls(watchPath.displayPath(
                        watchPath.relativeName(found))) + ": run 'asset-index scan' first, then accept what"
                        + " 'asset-index integrity' lists"));
    }
}
