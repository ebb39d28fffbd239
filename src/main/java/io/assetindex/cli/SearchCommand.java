package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.search.SearchException;
import io.assetindex.search.SearchService;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import java.util.LinkedHashMap;
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
                "Exact nearest neighbours of the text's embedding; filters apply before the top N."})
final class SearchCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "TEXT", arity = "1..*", description = "What to look for (several words are one query).")
    List<String> words;

    @Mixin
    SearchOptions options;

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        String text = String.join(" ", words).strip();
        if (text.isEmpty()) {
            throw new CommandFailure(ExitCode.USAGE, "give some text to search for");
        }
        try (IndexDatabase database = IndexAccess.openExisting(config.workspace(), main.context().clock());
                SearchService search = SearchService.loadingOnce(new IndexReader(database), config.embedding(),
                        main.context().environment()::get, config.workspace().cacheDir())) {
            SearchService.Results results = search.search(text, options.filter(config), options.limit, options.offset,
                    options.metric());
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("query", text);
            SearchOutput.print(spec.commandLine().getOut(), results, request, options.json);
            return ExitCode.OK;
        } catch (SearchException e) {
            throw new CommandFailure(ExitCode.FAILURE, e.getMessage());
        }
    }
}
