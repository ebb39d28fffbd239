package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.app.Assembly;
import io.assetindex.config.AppConfig;
import io.assetindex.query.FailuresQuery;
import io.assetindex.query.IntegrityQuery;
import io.assetindex.query.FolderQuery;
import io.assetindex.query.HistoryQuery;
import io.assetindex.query.ListQuery;
import io.assetindex.query.LocalQueries;
import io.assetindex.query.LogQuery;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.query.SearchQuery;
import io.assetindex.query.SimilarQuery;
import io.assetindex.server.ApiClient;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.function.Supplier;

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
            Optional<ApiClient> remote = RemoteAccess.connect(main, config);
            if (remote.isPresent()) {
                return new Remote(remote.get(), () -> here(main, config), main.errorWriter());
            }
        }
        return here(main, config);
    }

    /**
     * The answer to one question, asked as {@link #open} says and closed after; a failed query is
     * the command's failure ({@link #failure}).
     */
    static JsonNode ask(Main main, AppConfig config, boolean local, Question question) {
        try (Queries queries = open(main, config, local)) {
            return question.ask(queries);
        } catch (QueryException e) {
            throw failure(e);
        }
    }

    private static Queries here(Main main, AppConfig config) {
        Assembly assembly = Assembly.open(config, main.context().environment()::get, main.context().clock(),
                Assembly.Use.QUERY);
        return new Owned(assembly, assembly.queries());
    }

    /** A failed query as the command's failure: a bad request is bad usage (exit 2), anything else exit 1. */
    static CommandFailure failure(QueryException e) {
        return new CommandFailure(e.kind() == QueryException.Kind.BAD_REQUEST ? ExitCode.USAGE : ExitCode.FAILURE,
                e.getMessage());
    }

    /** One question put to some queries. */
    @FunctionalInterface
    interface Question {
        JsonNode ask(Queries queries) throws QueryException;
    }

    /** Queries that put every question the same way, through {@link #ask(Question)}. */
    private abstract static class Asking implements Queries {

        abstract JsonNode ask(Question question) throws QueryException;

        @Override
        public JsonNode status() throws QueryException {
            return ask(Queries::status);
        }

        @Override
        public JsonNode search(SearchQuery query) throws QueryException {
            return ask(q -> q.search(query));
        }

        @Override
        public JsonNode similar(SimilarQuery query) throws QueryException {
            return ask(q -> q.similar(query));
        }

        @Override
        public JsonNode list(ListQuery query) throws QueryException {
            return ask(q -> q.list(query));
        }

        @Override
        public JsonNode show(String id) throws QueryException {
            return ask(q -> q.show(id));
        }

        @Override
        public JsonNode log(LogQuery query) throws QueryException {
            return ask(q -> q.log(query));
        }

        @Override
        public JsonNode failures(FailuresQuery query) throws QueryException {
            return ask(q -> q.failures(query));
        }

        @Override
        public JsonNode integrity(IntegrityQuery query) throws QueryException {
            return ask(q -> q.integrity(query));
        }

        @Override
        public JsonNode history(HistoryQuery query) throws QueryException {
            return ask(q -> q.history(query));
        }

        @Override
        public JsonNode folders(FolderQuery query) throws QueryException {
            return ask(q -> q.folders(query));
        }
    }

    /**
     * Queries asked of the service, answered in this process instead when it does not answer
     * (stopped meanwhile, too slow, refused the token): once that happens, this process answers
     * the rest. Says so on stderr, once; the printed answer is the same either way.
     */
    private static final class Remote extends Asking {
        private final ApiClient client;
        private final Supplier<Queries> fallback;
        private final PrintWriter err;
        private Queries here;

        Remote(ApiClient client, Supplier<Queries> fallback, PrintWriter err) {
            this.client = client;
            this.fallback = fallback;
            this.err = err;
        }

        @Override
        JsonNode ask(Question question) throws QueryException {
            if (here == null) {
                try {
                    return question.ask(client);
                } catch (ApiClient.Unreachable e) {
                    err.println("asset-index: warning: " + e.getMessage() + "; answering in this process");
                    err.flush();
                    here = fallback.get();
                }
            }
            return question.ask(here);
        }

        @Override
        public void close() {
            if (here != null) {
                here.close();
            }
        }
    }

    /** Local queries that close the parts they were built from. */
    private static final class Owned extends Asking {
        private final Assembly assembly;
        private final LocalQueries queries;

        Owned(Assembly assembly, LocalQueries queries) {
            this.assembly = assembly;
            this.queries = queries;
        }

        @Override
        JsonNode ask(Question question) throws QueryException {
            return question.ask(queries);
        }

        @Override
        public void close() {
            assembly.close();
        }
    }
}
