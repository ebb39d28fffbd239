package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.query.SearchQuery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Find assets by meaning: \"drone shot over the coast\", \"invoice scan\", \"voice over about pricing\".",
                "Exact nearest neighbours of the text's embedding; filters apply before the top N.",
                "Asks the running watcher when there is one (it holds the vectors), else searches in this process."})
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "What to look for (several words are one query).")
    List<String> words;

    @Mixin
    SearchOptions options;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        try (Queries queries = QueryAccess.open(main, config, where.local)) {
            SearchOutput.print(spec.commandLine().getOut(), queries.search(new SearchQuery(String.join(" ", words),
                    options.filter(config), options.limit, options.offset, options.metric())), options.json);
            return ExitCode.OK;
        } catch (QueryException e) {
            throw QueryAccess.failure(e);
        }
    }
}
