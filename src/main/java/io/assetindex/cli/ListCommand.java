package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.AppConfig;
import io.assetindex.query.ListQuery;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.store.AssetSort;
import io.assetindex.store.SearchFilter;
import io.assetindex.util.Json;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Browse the index without a query: the assets that match the filters, newest first.",
                "A page at a time, in one of six orders, with how many assets match in all."})
final class ListCommand implements Callable<Integer> {

    /** The orders, as typed on the command line (the names of {@link AssetSort}). */
    enum SortName {
        newest, oldest, captured, name, size, duration
    }

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    FilterOptions filters;

    @Option(names = "--sort", paramLabel = "ORDER", defaultValue = "newest",
            description = "newest or oldest (time indexed), captured (capture time, newest first, unknown last), name,"
                    + " size (largest first), duration (longest first); ties by id. Default: ${DEFAULT-VALUE}.")
    SortName sort;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20",
            description = "At most N assets, 1 to 10000 (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the first N (for the next page).")
    int offset;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    @Mixin
    LocalOption where;

    @Override
    public Integer call() {
        Paging.check(limit, offset);
        AppConfig config = main.loadConfig(Map.of());
        SearchFilter filter = filters.filter(config);
        try (Queries queries = QueryAccess.open(main, config, where.local)) {
            JsonNode page = queries.list(new ListQuery(filter, sort.name(), limit, offset));
            if (json) {
                spec.commandLine().getOut().println(Json.pretty(page));
            } else {
                ListOutput.print(spec.commandLine().getOut(), page, main.context().clock().getZone());
            }
            return ExitCode.OK;
        } catch (QueryException e) {
            throw QueryAccess.failure(e);
        }
    }
}
