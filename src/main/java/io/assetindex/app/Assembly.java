package io.assetindex.app;

import io.assetindex.config.AppConfig;
import io.assetindex.query.LocalQueries;
import io.assetindex.query.StatusReports;
import io.assetindex.scan.Indexing;
import io.assetindex.search.LiveVectorIndex;
import io.assetindex.search.SearchService;
import io.assetindex.state.WatcherInfo;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.IndexStore;
import io.assetindex.store.IndexTarget;
import io.assetindex.store.StoreException;
import io.assetindex.util.OldGenerationGuard;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The parts of asset-index for one workspace, built in one place for every command, the daemon
 * and the API: the index database with a pool sized for the use, the indexing parts, the search
 * (vectors loaded once for a command, followed live by a service) and the queries. Parts are
 * built when first asked for; {@link #close()} closes what was built, in reverse order.
 */
public final class Assembly implements AutoCloseable {

    /** What the parts are for; it sizes the database pool and decides how search holds its vectors. */
    public enum Use {
        /** Questions about an index that may not exist yet (status, search, show, log, list): 2 connections. */
        QUERY,
        /** Indexing once (scan, requeue, verify): one connection per worker, and the writer and a reader. */
        INDEX,
        /** The watcher and its API, or the API alone: the workers', the background passes' and the API's. */
        SERVICE
    }

    /** Connections beyond the workers: the single writer, a reader, the background pass. */
    private static final int BASE_CONNECTIONS = 3;
    /** Connections the API's requests use at most: more requests wait for one (a pool of SQLite readers). */
    private static final int API_CONNECTIONS = 4;

    private final AppConfig config;
    private final Function<String, String> environment;
    private final Clock clock;
    private final Use use;
    private final IndexStore store;
    private final Deque<AutoCloseable> built = new ArrayDeque<>();
    private Indexing indexing;
    private LiveVectorIndex liveVectors;
    private SearchService search;

    private Assembly(AppConfig config, Function<String, String> environment, Clock clock, Use use, IndexStore store) {
        this.config = config;
        this.environment = environment;
        this.clock = clock;
        this.use = use;
        this.store = store;
        if (store != null) {
            built.push(store);
        }
        if (use == Use.SERVICE) {
            OldGenerationGuard.start().ifPresent(built::push); // a service's heap follows what it holds
        }
    }

    /**
     * @throws StoreException when the index cannot be opened (with what to do); for {@link Use#QUERY}
     *                        a missing index is not an error: there are no parts of it then
     */
    public static Assembly open(AppConfig config, Function<String, String> environment, Clock clock, Use use) {
        IndexTarget target = IndexTarget.of(config, environment);
        if (use == Use.QUERY && !target.exists()) {
            return new Assembly(config, environment, clock, use, null);
        }
        int connections = switch (use) {
            case QUERY -> 2;
            case INDEX -> config.workers() + 2;
            case SERVICE -> config.workers() + BASE_CONNECTIONS + API_CONNECTIONS;
        };
        return new Assembly(config, environment, clock, use,
                new IndexStore(IndexDatabase.open(target, connections, clock, config.hostName()), clock));
    }

    public AppConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    /** Whether the workspace has an index (only a {@link Use#QUERY} assembly may have none). */
    public boolean hasIndex() {
        return store != null;
    }

    /** @throws IllegalStateException without an index */
    public IndexStore store() {
        if (store == null) {
            throw new IllegalStateException("no index");
        }
        return store;
    }

    public IndexDatabase database() {
        return store().database();
    }

    public IndexReader reader() {
        return new IndexReader(database());
    }

    /** The indexing parts (filter, indexer, scanner, analyzers, AI services). */
    public synchronized Indexing indexing() {
        if (indexing == null) {
            indexing = Indexing.create(config, store(), clock, environment);
        }
        return indexing;
    }

    /**
     * Search over the index: a service follows the index live ({@link LiveVectorIndex}, loaded
     * now), a command loads the vectors on its first search.
     */
    public synchronized SearchService search() {
        if (search == null) {
            if (use == Use.SERVICE) {
                liveVectors = LiveVectorIndex.open(reader());
                built.push(liveVectors);
                search = new SearchService(reader(), liveVectors::current, config.embedding(), environment,
                        config.workspace().cacheDir());
            } else {
                search = SearchService.loadingOnce(reader(), config.embedding(), environment,
                        config.workspace().cacheDir());
            }
            built.push(search);
        }
        return search;
    }

    /** The vectors a service keeps in memory, once {@link #search()} was asked for; else empty. */
    public synchronized Optional<LiveVectorIndex> liveVectors() {
        return Optional.ofNullable(liveVectors);
    }

    /** Queries as state.json tells of the workspace's watcher. */
    public LocalQueries queries() {
        return queries(() -> StatusReports.fromStateFile(config.workspace()));
    }

    /** Queries with the watcher as {@code watcher} tells (a running service's own state). */
    public LocalQueries queries(Supplier<Optional<WatcherInfo>> watcher) {
        return new LocalQueries(config, store == null ? null : store.database(), store == null ? null : search(),
                watcher, clock);
    }

    @Override
    public synchronized void close() {
        RuntimeException failure = null;
        while (!built.isEmpty()) {
            try {
                built.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
