package io.assetindex.cli;

import io.assetindex.app.Assembly;
import io.assetindex.search.LiveVectorIndex;
import io.assetindex.search.SearchService;
import io.assetindex.server.ApiServer;
import io.assetindex.server.Requeue;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.state.WatcherInfo;
import io.assetindex.state.WatcherState;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the HTTP API of a running service ({@code watch}, {@code serve}) when the config
 * enables it: status from the service's own live state, search over the vectors it keeps in
 * memory, and its address in state.json ({@code api.url}). A port in use is fatal for
 * {@code serve} (exit 2) and only reported by {@code watch}, which goes on watching with the
 * API shown as down in state.json, {@code status} and the log.
 */
final class ServiceApi {
    private static final Logger LOG = LoggerFactory.getLogger("api");

    private ServiceApi() {}

    /**
     * @param token    the token requests must carry, or null
     * @param required whether the service is nothing without it ({@code serve})
     * @return the server to close at the end, or empty when disabled or (not required) down
     */
    static Optional<ApiServer> start(Assembly assembly, WatcherState state, ProcessIdentity self, String token,
            Requeue requeue, boolean required) {
        if (!assembly.config().server().enabled()) {
            return Optional.empty();
        }
        // Vectors are loaded before the API answers; the model is loaded once it does, so the first search is
        // as fast as any.
        SearchService search = assembly.search();
        try {
            ApiServer server = ApiServer.start(assembly.config(), token,
                    assembly.queries(() -> Optional.of(new WatcherInfo(state.view(), self, true))), requeue,
                    () -> assembly.liveVectors().map(LiveVectorIndex::current).map(v -> v.memoryBytes()).orElse(0L));
            state.api(server.url());
            search.warmUpInBackground();
            return Optional.of(server);
        } catch (ApiServer.StartException e) {
            if (required) {
                throw new CommandFailure(ExitCode.USAGE, e.getMessage());
            }
            LOG.error("[api] {}; the watcher goes on without it", e.getMessage());
            state.apiDown(e.getMessage());
            return Optional.empty();
        }
    }
}
