package io.assetindex.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.embed.Embedder;
import io.assetindex.embed.Embedders;
import io.assetindex.embed.EmbeddingException;
import io.assetindex.search.VectorIndex.Hit;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.FeedPosition;
import io.assetindex.store.AssetSort;
import io.assetindex.store.IndexReader;
import io.assetindex.store.KeywordQuery;
import io.assetindex.store.SearchFilter;
import io.assetindex.util.Json;
import io.assetindex.util.Threads;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Semantic search over an index: embeds the query with the model the index's vectors were made
 * with (during a model change, the old one: search keeps working on the old vectors until the
 * new ones are complete), searches the vectors in memory ({@link VectorSnapshot}: loaded once by
 * a command, or followed live by a running service, {@link LiveVectorIndex}), applies the
 * filter before the top-k (so a filtered search still returns {@code limit} matches when that
 * many exist), and returns hits with their facts and live paths. Assets without a live path are
 * never returned. Safe for concurrent searches; an embedder is made once per model and kept.
 */
public final class SearchService implements AutoCloseable {

    /**
     * One result.
     *
     * @param distance its distance in meaning, or null when the meaning search did not find it
     * @param score    its fused score (hybrid), its BM25 score negated (keyword: higher is better), or null
     * @param weak     far below the best: neither a match of every word nor near the best in meaning
     * @param why      why it matched, or null for {@code similar}
     */
    public record Match(int rank, String id, Double distance, Map<String, Object> asset, Double score, boolean weak,
            MatchReasons.Why why) {
        Match(int rank, String id, double distance, Map<String, Object> asset) {
            this(rank, id, distance, asset, null, false, null);
        }
    }

    /**
     * The results of one search.
     *
     * @param mode  how it searched, or null for {@code similar}
     * @param model the model of the vectors searched, or null when none were (keyword search)
     */
    public record Results(SearchMode mode, String model, Metric metric, int searched, List<Match> matches) {}

    /** How deep each side of a search looks before the two are fused: at least this many. */
    private static final int MIN_DEPTH = 100;
    /** ... and at most this many (also the results a search sorted by something else than relevance orders). */
    private static final int MAX_DEPTH = 1_000;
    /** How many the meaning side of a hybrid search takes at least (the keyword side's lists are cheaper). */
    private static final int MIN_NEAREST = 20;
    /**
     * Words in more than one asset in this many (and more than {@link #MIN_COMMON}) are common: a
     * hybrid search looks for them only among the assets it found by meaning.
     */
    private static final int COMMON_SHARE = 50;
    private static final int MIN_COMMON = 1_000;

    private final IndexReader reader;
    private final Supplier<VectorSnapshot> vectors;
    private final EmbeddingSettings configured;
    private final Function<String, String> environment;
    private final Path fallbackCache;
    private final int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private final ExecutorService pool = Executors.newFixedThreadPool(threads, Threads.daemon("search"));
    private static final long WARM_UP_WAIT_MS = 60_000;

    private final Map<EmbeddingSettings, Embedder> embedders = new ConcurrentHashMap<>();
    private Thread warmUp;
    /** Query texts embedded lately (paging and refining a search embed the same text again). */
    private final Lru<QueryKey, float[]> queryVectors = new Lru<>(QUERY_VECTORS);
    /** What a filter's conditions allow, per snapshot: worked out once per filter while the index does not change. */
    private final Lru<SearchFilter, FilterMatch> filterMatches = new Lru<>(FILTER_MATCHES);

    private static final int QUERY_VECTORS = 512;
    private static final int FILTER_MATCHES = 32;
    /** Beyond this many changes since a filter was last worked out, it is worked out again from scratch. */
    private static final int MAX_CHANGES_FOLLOWED = 5_000;

    private record QueryKey(EmbeddingSettings settings, String text) {}

    private record FilterMatch(VectorSnapshot snapshot, VectorSnapshot.Allowed allowed) {}

    /** A small least-recently-used map, safe for concurrent use. */
    private static final class Lru<K, V> {
        private final java.util.LinkedHashMap<K, V> entries;

        Lru(int capacity) {
            entries = new java.util.LinkedHashMap<>(16, 0.75f, true) {
                private static final long serialVersionUID = 1L;

                @Override
                protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized V get(K key) {
            return entries.get(key);
        }

        synchronized void put(K key, V value) {
            entries.put(key, value);
        }
    }

    /**
     * @param vectors       the vectors to search, as they are now
     * @param configured    the current embedding settings (for an API's key variable and timeouts)
     * @param fallbackCache where native libraries go when the user's cache folder is not writable
     */
    public SearchService(IndexReader reader, Supplier<VectorSnapshot> vectors, EmbeddingSettings configured,
            Function<String, String> environment, Path fallbackCache) {
        this.reader = reader;
        this.vectors = vectors;
        this.configured = configured;
        this.environment = environment;
        this.fallbackCache = fallbackCache;
    }

    /** A search service for one command: the vectors are loaded on the first search, once. */
    public static SearchService loadingOnce(IndexReader reader, EmbeddingSettings configured,
            Function<String, String> environment, Path fallbackCache) {
        return new SearchService(reader, new LoadOnce(reader), configured, environment, fallbackCache);
    }

    /** Loads the index's vectors on first use. */
    private static final class LoadOnce implements Supplier<VectorSnapshot> {
        private final IndexReader reader;
        private VectorSnapshot loaded;

        LoadOnce(IndexReader reader) {
            this.reader = reader;
        }

        @Override
        public synchronized VectorSnapshot get() {
            if (loaded == null) {
                FeedPosition position = reader.changeHead();
                EmbeddingModel model = reader.activeModel().orElse(null);
                VectorIndex index = VectorIndex.empty(0);
                if (model != null) {
                    VectorIndex.Builder builder = VectorIndex.builder(model.dimension(),
                            (int) Math.min(Integer.MAX_VALUE, reader.countActiveVectors()));
                    reader.activeVectors(builder::add);
                    index = builder.build();
                }
                loaded = VectorSnapshot.of(model, index, position);
            }
            return loaded;
        }
    }

    /**
     * Finds assets by the words and the meaning of a text.
     *
     * @param sort the order of the results, or null for relevance
     */
    public Results search(String text, SearchMode mode, SearchFilter filter, int limit, int offset, Metric metric,
            AssetSort sort) throws SearchException {
        KeywordQuery query = KeywordQuery.parse(text);
        int depth = sort != null ? MAX_DEPTH : Math.min(MAX_DEPTH, Math.max(MIN_DEPTH, 2 * (offset + limit)));
        if (mode == SearchMode.KEYWORD && query.terms().isEmpty()) {
            throw new SearchException("a keyword search needs a word to look for (not only -excluded ones)");
        }
        Set<String> excluded = query.excludedMatch().map(reader::keywordMatches).orElse(Set.of());

        List<Map.Entry<String, Double>> semantic = new ArrayList<>();
        String model = null;
        int searched = 0;
        int assets = 0;
        boolean meaning = mode != SearchMode.KEYWORD && !query.meaning().isEmpty();
        VectorSnapshot snapshot = vectors.get();
        if (meaning && (snapshot.model() != null || mode == SearchMode.SEMANTIC)) {
            snapshot = snapshot();
            // The meaning side looks less deep: its far results add little to the fusion, and every candidate
            // it keeps is scored again from its stored float32 vector.
            int nearest = sort != null ? MAX_DEPTH : mode == SearchMode.SEMANTIC ? offset + limit
                    : Math.min(depth, Math.max(MIN_NEAREST, 2 * (offset + limit)));
            VectorSnapshot.Result found = nearest(snapshot, embed(snapshot, query.meaning()), filter, excluded, nearest,
                    metric);
            found.hits().forEach(hit -> semantic.add(Map.entry(hit.id(), hit.distance())));
            model = snapshot.model().model();
            searched = found.searched();
            assets = snapshot.size();
        }

        List<String> keyword = new ArrayList<>();
        Set<String> complete = new HashSet<>();
        if (mode != SearchMode.SEMANTIC && query.all().isPresent()) {
            String all = query.all().get();
            List<String> near = semantic.stream().map(Map.Entry::getKey).toList();
            // Words that many assets have single out none of them, and ranking all those assets costs about
            // 1 µs each: a hybrid search then only marks which of the assets found by meaning have them all,
            // in their order by meaning.
            int common = Math.max(MIN_COMMON, assets / COMMON_SHARE);
            boolean among = mode == SearchMode.HYBRID && !near.isEmpty()
                    && reader.keywordCountUpTo(all, common + 1) > common;
            for (IndexReader.KeywordHit hit : among ? reader.keywordMatchesAmong(all, near)
                    : reader.keywordSearch(all, filter, depth)) {
                keyword.add(hit.id());
                complete.add(hit.id());
            }
            if (mode == SearchMode.KEYWORD && keyword.size() < depth && query.terms().size() > 1) {
                // Then the assets that have some of the words, after those that have them all.
                Set<String> seen = new HashSet<>(keyword);
                for (IndexReader.KeywordHit hit : reader.keywordSearch(query.any().orElseThrow(), filter, depth)) {
                    if (seen.add(hit.id()) && keyword.size() < depth) {
                        keyword.add(hit.id());
                    }
                }
            }
        }

        List<Fusion.Entry> order = Fusion.fuse(mode, keyword, complete, semantic);
        if (sort != null) {
            List<String> relevant = order.stream().filter(entry -> !entry.weak()).map(Fusion.Entry::id).toList();
            Map<String, Fusion.Entry> byId = new HashMap<>();
            order.forEach(entry -> byId.put(entry.id(), entry));
            order = reader.sorted(relevant.isEmpty() ? byId.keySet() : relevant, sort).stream().map(byId::get).toList();
        }
        List<Fusion.Entry> page = order.subList(Math.min(offset, order.size()), Math.min(order.size(), offset + limit));
        List<String> ids = page.stream().map(Fusion.Entry::id).toList();
        Map<String, Map<String, Object>> facts = reader.describe(ids);
        // The results that have some of the words say which, with a snippet: made for the page only (a snippet
        // reads the asset's texts again).
        Map<String, String> snippets = new HashMap<>();
        if (mode != SearchMode.SEMANTIC && query.any().isPresent()) {
            reader.keywordMatchesAmong(query.any().get(), ids).forEach(hit -> snippets.put(hit.id(), hit.snippet()));
        }
        Map<String, MatchReasons.Why> reasons = MatchReasons.of(reader, query, ids, snippets);
        List<Match> matches = new ArrayList<>();
        for (Fusion.Entry entry : page) {
            Map<String, Object> asset = facts.get(entry.id());
            if (asset == null) {
                continue; // gone since it was found
            }
            Double score = mode == SearchMode.HYBRID ? entry.score() : null;
            matches.add(new Match(offset + matches.size() + 1, entry.id(), entry.distance(), asset, score, entry.weak(),
                    reasons.get(entry.id())));
        }
        return new Results(mode, model, metric, searched, matches);
    }

    /** The query's vector, from the model that made the index's vectors (remembered for a while). */
    private float[] embed(VectorSnapshot snapshot, String text) throws SearchException {
        EmbeddingSettings settings = queryEmbedding(snapshot.model());
        try {
            QueryKey key = new QueryKey(settings, text);
            float[] query = queryVectors.get(key);
            if (query == null) {
                query = embedders.computeIfAbsent(settings, s -> Embedders.create(s, environment, fallbackCache))
                        .embed(text);
                queryVectors.put(key, query);
            }
            return query;
        } catch (EmbeddingException e) {
            boolean keyWithheld = settings.apiKeyEnv() == null && configured.apiKeyEnv() != null;
            throw new SearchException("cannot embed the query: " + e.getMessage() + (keyWithheld ? " (the index's"
                    + " vectors are " + settings.baseUrl() + "'s, and the key in $" + configured.apiKeyEnv()
                    + " goes only to embedding.base_url; search works on the new vectors once re-embedding is done)"
                    : ""));
        }
    }

    /**
     * Loads the query embedder for the index's model and embeds one text, so the first search a
     * person makes costs no more than later ones. Without vectors (or when the model cannot be
     * loaded) it does nothing: the first search says what is wrong.
     */
    public void warmUp() {
        try {
            VectorSnapshot snapshot = snapshot();
            EmbeddingSettings settings = queryEmbedding(snapshot.model());
            embedders.computeIfAbsent(settings, s -> Embedders.create(s, environment, fallbackCache)).embed("warm up");
        } catch (SearchException | EmbeddingException | RuntimeException e) {
            // said by the first search, where a person sees it
        }
    }

    /** Assets nearest to an indexed one, never itself nor the excluded ids. */
    public Results similar(String assetId, Set<String> exclude, SearchFilter filter, int limit, int offset, Metric metric)
            throws SearchException {
        VectorSnapshot snapshot = snapshot();
        float[] query = reader.activeVector(assetId).orElseThrow(() -> new SearchException(
                "asset " + assetId + " has no vector of the current model yet; it is embedded on the next scan"));
        Set<String> excluded = new HashSet<>(exclude);
        excluded.add(assetId);
        return run(snapshot, query, filter, excluded, limit, offset, metric);
    }

    private VectorSnapshot snapshot() throws SearchException {
        VectorSnapshot snapshot = vectors.get();
        if (snapshot.model() == null) {
            throw new SearchException("the index has no vectors yet; run 'asset-index scan' (or let the watcher run) first");
        }
        return snapshot;
    }

    private Results run(VectorSnapshot snapshot, float[] query, SearchFilter filter, Set<String> exclude, int limit,
            int offset, Metric metric) throws SearchException {
        VectorSnapshot.Result found = nearest(snapshot, query, filter, exclude, offset + limit, metric);
        List<Hit> hits = found.hits();
        List<Hit> page = hits.subList(Math.min(offset, hits.size()), hits.size());
        Map<String, Map<String, Object>> facts = reader.describe(page.stream().map(Hit::id).toList());
        List<Match> matches = new ArrayList<>();
        for (int i = 0; i < page.size(); i++) {
            Hit hit = page.get(i);
            matches.add(new Match(offset + i + 1, hit.id(), hit.distance(), facts.getOrDefault(hit.id(), Map.of())));
        }
        return new Results(null, snapshot.model().model(), metric, found.searched(), matches);
    }

    /** The {@code k} nearest vectors to the query that the filter allows, none of {@code exclude}. */
    private VectorSnapshot.Result nearest(VectorSnapshot snapshot, float[] query, SearchFilter filter,
            Set<String> exclude, int k, Metric metric) throws SearchException {
        if (query.length != snapshot.dimension()) {
            throw new SearchException("the query vector has " + query.length + " dimensions but the index holds "
                    + snapshot.dimension() + "-dimension vectors of " + snapshot.model().model());
        }
        VectorSnapshot.Allowed allowed = snapshot.excluding(allowed(snapshot, filter), exclude);
        return snapshot.search(query, k, metric, allowed, reader::activeVectorsById, pool, threads);
    }

    /**
     * The vectors the filter allows: its shape conditions (type, durations, sizes) are checked in
     * memory; the others (watch path, job, path text, tags, audio role) by the index, once per
     * filter while the snapshot stays the same.
     */
    private VectorSnapshot.Allowed allowed(VectorSnapshot snapshot, SearchFilter filter) {
        FilterMatch cached = filterMatches.get(filter);
        if (cached != null && cached.snapshot() == snapshot) {
            return cached.allowed();
        }
        SearchFilter rest = filter.withoutShape();
        VectorSnapshot.Allowed allowed = null;
        if (rest.isEmpty()) {
            allowed = snapshot.allowed(filter, null);
        } else if (cached != null && cached.snapshot().base() == snapshot.base()
                && !cached.snapshot().position().isAfter(snapshot.position())) {
            // The same base, a few commits later: only what changed is asked of the index again.
            Optional<Set<String>> changed = reader.changedAssets(cached.snapshot().position(), snapshot.position(),
                    MAX_CHANGES_FOLLOWED);
            if (changed.isPresent()) {
                changed.get().addAll(cached.snapshot().ahead());
                changed.get().addAll(snapshot.ahead());
                allowed = snapshot.updated(cached.snapshot(), cached.allowed(), filter, changed.get(),
                        changed.get().isEmpty() ? Set.of() : reader.matchingAmong(rest, changed.get()));
            }
        }
        if (allowed == null) {
            allowed = snapshot.allowed(filter, reader.matching(rest));
        }
        filterMatches.put(filter, new FilterMatch(snapshot, allowed));
        return allowed;
    }

    /**
     * Settings for an embedder like the one that made the index's vectors, with today's timeouts.
     * Today's key goes only to today's {@code embedding.base_url}, which the config checked: the
     * index's vectors may name another URL (an earlier configuration, an imported index), which
     * is asked without it, and without any user info, query or fragment an older index may hold.
     */
    private EmbeddingSettings queryEmbedding(EmbeddingModel model) throws SearchException {
        JsonNode identity = Json.read(model.identityJson());
        String provider = identity.path("provider").asText(EmbeddingSettings.LOCAL);
        URI baseUrl = null;
        if (identity.hasNonNull("base_url")) {
            try {
                URI stored = new URI(identity.get("base_url").asText());
                baseUrl = new URI(stored.getScheme(), null, stored.getHost(), stored.getPort(), stored.getPath(), null,
                        null);
            } catch (URISyntaxException e) {
                throw new SearchException("the index's vectors name a base URL that is not a URL; set the embedding"
                        + " model again and run 'asset-index scan' to re-embed");
            }
        }
        Integer dimensions = identity.hasNonNull("dimensions") ? identity.get("dimensions").asInt() : null;
        String apiKeyEnv = baseUrl != null && baseUrl.equals(configured.baseUrl()) ? configured.apiKeyEnv() : null;
        return new EmbeddingSettings(provider, identity.path("model").asText(model.model()), baseUrl, apiKeyEnv,
                dimensions, configured.batchSize(), configured.timeoutSeconds(), configured.maxRetries());
    }

    /**
     * {@link #warmUp()} on a thread of its own; {@link #close()} waits for it, since a process
     * that exits while a native model is being loaded can be aborted by the runtime.
     */
    public synchronized void warmUpInBackground() {
        if (warmUp == null) {
            warmUp = Threads.daemon("search-warm-up").newThread(this::warmUp);
            warmUp.start();
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        Thread loading;
        synchronized (this) {
            loading = warmUp;
        }
        if (loading != null) {
            try {
                loading.join(WARM_UP_WAIT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
