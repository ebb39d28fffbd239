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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Find assets by their words and their meaning: DJI_0042, ACME-042, \"drone shot over the coast\".",
                "Hybrid by default: keyword matches (names, folders, jobs, camera, summary, tags, transcript...) and"
                        + " the nearest in meaning, fused by rank. \"quoted phrases\" must appear as written; -word"
                        + " excludes. Each result says why it matched; results far below the best are marked weak.",
                "Filters apply before the top N. Asks the running watcher when there is one, else searches in this"
                        + " process."})
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "What to look for (several words are one query).")
    List<String> words;

    /** Modes as typed on the command line. */
    enum ModeName {
        hybrid, keyword, semantic
    }

    /** Orders as typed on the command line. */
    enum OrderName {
        relevance, newest, oldest, captured, name, size, duration
    }

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "hybrid",
            description = "hybrid (words and meaning), keyword (words only) or semantic (meaning only); default:"
                    + " ${DEFAULT-VALUE}.")
    ModeName mode;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "relevance",
            description = "relevance (best first), or the good matches by newest, oldest, captured, name, size or"
                    + " duration; default: ${DEFAULT-VALUE}.")
    OrderName sort;

    @Mixin
    SearchOptions options;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        try (Queries queries = QueryAccess.open(main, config, where.local)) {
            SearchOutput.print(spec.commandLine().getOut(), queries.search(new SearchQuery(String.join(" ", words),
                    mode.name(), options.filter(config), options.limit, options.offset, options.metric(), sort.name())),
                    options.json);
            return ExitCode.OK;
        } catch (QueryException e) {
            throw QueryAccess.failure(e);
        }
    }
}
