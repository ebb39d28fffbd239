package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.query.SimilarQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "similar", mixinStandardHelpOptions = true,
        description = {"Find the assets nearest in meaning to an indexed one (never itself).",
                "Asks the running watcher when there is one, else searches in this process."})
final class SimilarCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "PATH|ID", description = "A file path, or an asset id (a unique prefix of 6+ characters is enough).")
    String target;

    @Option(names = "--exclude", paramLabel = "ID", description = "Leave out this asset too (path or id); repeat for several.")
    List<String> exclude = new ArrayList<>();

    @Mixin
    SearchOptions options;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        String id = AssetTarget.idOf(config, target, main.context());
        List<String> excluded = new ArrayList<>();
        for (String other : exclude) {
            excluded.add(AssetTarget.idOf(config, other, main.context()));
        }
        try (Queries queries = QueryAccess.open(main, config, where.local)) {
            SearchOutput.print(spec.commandLine().getOut(), queries.similar(new SimilarQuery(id, excluded,
                    options.filter(config), options.limit, options.offset, options.metric())), options.json);
            return ExitCode.OK;
        } catch (QueryException e) {
            throw e.kind() == QueryException.Kind.NOT_FOUND ? AssetTarget.notFound(target) : QueryAccess.failure(e);
        }
    }
}
