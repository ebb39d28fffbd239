package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.search.SearchException;
import io.assetindex.search.SearchService;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "similar", mixinStandardHelpOptions = true,
        description = "The assets nearest to an indexed one (never itself).")
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

    @Override
    public Integer call() {
        AppConfig config = main.loadConfig(Map.of());
        try (IndexDatabase database = IndexAccess.openExisting(config.workspace(), main.context().clock())) {
            IndexReader reader = new IndexReader(database);
            String id = AssetTarget.resolve(reader, target, main.context().currentDir())
                    .orElseThrow(() -> AssetTarget.notFound(target));
            Set<String> excluded = new LinkedHashSet<>();
            for (String other : exclude) {
                excluded.add(AssetTarget.resolve(reader, other, main.context().currentDir())
                        .orElseThrow(() -> AssetTarget.notFound(other)));
            }
            try (SearchService search = SearchService.loadingOnce(reader, config.embedding(), main.context().environment()::get,
                    config.workspace().cacheDir())) {
                SearchService.Results results = search.similar(id, excluded, options.filter(config), options.limit,
                        options.offset, options.metric());
                Map<String, Object> request = new LinkedHashMap<>();
                request.put("similar_to", id);
                request.put("excluded", List.copyOf(excluded));
                SearchOutput.print(spec.commandLine().getOut(), results, request, options.json);
                return ExitCode.OK;
            }
        } catch (SearchException e) {
            throw new CommandFailure(ExitCode.FAILURE, e.getMessage());
        }
    }
}
