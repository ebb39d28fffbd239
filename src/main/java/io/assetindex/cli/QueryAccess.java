package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.app.Assembly;
import io.assetindex.config.AppConfig;
import io.assetindex.query.ListQuery;
import io.assetindex.query.LocalQueries;
import io.assetindex.query.LogQuery;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.query.SearchQuery;
import io.assetindex.query.SimilarQuery;

/**
 * Where a query command gets its answers: from the workspace's running service when its API
 * answers (found through state.json), which holds the vectors and the model already; else in
 * this process, as before there was an API ({@code --local} forces that). The document is the
 * same either way, and the command prints from it.
 */
final class QueryAccess {
    private QueryAccess() {}

    /** Queries to close when done; {@code local} forces this process. */
    static Queries open(Main main, AppConfig config, boolean local) {
        if (!local) {
            java.util.Optional<Queries> remote = RemoteAccess.connect(main, config);
            if (remote.isPresent()) {
                return remote.get();
            }
        }
        Assembly assembly = Assembly.open(config, main.context().environment()::get, main.context().clock(),
                Assembly.Use.QUERY);
        return new Owned(assembly, assembly.queries());
    }

    /** A failed query as the command's failure: a bad request is bad usage (exit 2), anything else exit 1. */
    static CommandFailure failure(QueryException e) {
        return new CommandFailure(e.kind() == QueryException.Kind.BAD_REQUEST ? ExitCode.USAGE : ExitCode.FAILURE,
                e.getMessage());
    }

    /** Local queries that close the parts they were built from. */
    private record Owned(Assembly assembly, LocalQueries queries) implements Queries {
        @Override
        public JsonNode status() throws QueryException {
            return queries.status();
        }

        @Override
        public JsonNode search(SearchQuery query) throws QueryException {
            return queries.search(query);
        }

        @Override
        public JsonNode similar(SimilarQuery query) throws QueryException {
            return queries.similar(query);
        }

        @Override
        public JsonNode list(ListQuery query) throws QueryException {
            return queries.list(query);
        }

        @Override
        public JsonNode show(String id) throws QueryException {
            return queries.show(id);
        }

        @Override
        public JsonNode log(LogQuery query) throws QueryException {
            return queries.log(query);
        }

        @Override
        public void close() {
            assembly.close();
        }
    }
}
