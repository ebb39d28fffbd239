package io.assetindex.store;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.util.Timestamps;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Read-only queries for the commands that show what is in the index. */
public final class IndexReader {
    private static final int ATTEMPTS_SHOWN = 10;
    private static final int BIT_ROT_SHOWN = 20;

    private final IndexDatabase database;
    private final AssetRepository assets = new AssetRepository();
    private final PathRepository paths = new PathRepository();
    private final ProcessLogRepository processLog = new ProcessLogRepository();
    private final AnalysisCacheRepository analysisCache = new AnalysisCacheRepository();
    private final ListRepository listing = new ListRepository();
    private final FacetRepository facets = new FacetRepository();
    private final VectorRepository vectors = new VectorRepository();
    private final SearchRepository search = new SearchRepository();
    private final FailureRepository failures = new FailureRepository();
    private final IntegrityRepository integrity = new IntegrityRepository();
    private final ChangeRepository changes = new ChangeRepository();
    private final VolumeRepository volumes = new VolumeRepository();
    private final FolderRepository folders = new FolderRepository();
    private final KeywordIndex keywords = new KeywordIndex();
    private final LeftOutRepository leftOut = new LeftOutRepository();
    private final AcceptanceRepository acceptances = new AcceptanceRepository();
    private final VerificationRepository verification = new VerificationRepository();
    private final RunHistoryRepository runs = new RunHistoryRepository();

    /** Receives the searchable vectors in increasing id order, with whether the asset has a live path, and its shape. */
    @FunctionalInterface
    public interface VectorSink {
        void accept(String id, byte[] packedVector, boolean live, AssetShape shape);
    }

    public IndexReader(IndexDatabase database) {
        this.database = database;
    }

    /** The counts of status: kept by triggers (see {@link IndexTallies}), so reading them costs a few rows. */
    public IndexCounts counts() {
        return database.read(c -> {
            IndexTallies.Totals totals = IndexTallies.totals(c);
            String last;
            try (PreparedStatement query = c.prepareStatement("SELECT ran_at FROM process_log ORDER BY id DESC LIMIT 1");
                    ResultSet rs = query.executeQuery()) {
                last = rs.next() ? rs.getString(1) : null;
            }
            return new IndexCounts(totals.assetsByType(), totals.assetBytes(), totals.livePaths(),
                    totals.allPaths() - totals.livePaths(), totals.attempts(),
                    last == null ? null : Timestamps.parse(last), vectors.counts(c, totals), failures.count(c),
                    volumes.held(c, database.host()), integrity.count(c, "corrupt"), integrity.count(c, "warning"),
                    integrity.count(c, "accepted"), verification.countBitRot(c, database.host()),
                    verification.bitRot(c, database.host(), BIT_ROT_SHOWN));
        });
    }

    /**
     * What this host's last whole walk of each of its watch paths left out because of extensions (any
     * watch path it ever walked); other hosts' walks are theirs.
     */
    public List<CountedLeftOut> leftOut() {
        return database.read(c -> leftOut.all(c, database.host()));
    }

    /**
     * A page of the scan history, newest first, of one kind of run or every kind (null), with how many
     * runs there are in all; the page and the total come from one snapshot of the index.
     */
    public RecordedRun.Page runs(RunKind kind, int limit, int offset) {
        return database.readSnapshot(c -> new RecordedRun.Page(runs.count(c, kind), runs.page(c, kind, limit, offset)));
    }

    public List<LogEntry> log(ProcessStatus status, int limit, int offset) {
        return database.read(c -> processLog.recent(c, status, limit, offset));
    }

    /**
     * A page of the files whose last attempt failed, newest failure first, with how many there
     * are in all; the page and the total come from one snapshot of the index.
     */
    /**
     * The files judged corrupt and the assets with warnings, of one watch path or all (null), and the
     * files this host found with bit rot; at most {@code cap}.
     */
    public List<IntegrityFinding> integrityFindings(String sourceRoot, int cap) {
        return database.read(c -> integrity.findings(c, database.host(), sourceRoot, cap));
    }

    public FailingFile.Page failingFiles(int limit, int offset) {
        return database.readSnapshot(c -> new FailingFile.Page(processLog.countFailing(c),
                processLog.failing(c, limit, offset)));
    }

    public Optional<AssetDetails> asset(String id) {
        return database.read(c -> {
            Optional<Map<String, Object>> columns = assets.find(c, id);
            if (columns.isEmpty()) {
                return Optional.empty();
            }
            List<Map<String, Object>> assetPaths = paths.forAsset(c, id);
            List<String> shownPaths = assetPaths.stream()
                    .map(p -> WatchRoot.displayPath((String) p.get("source_root"), (String) p.get("rel_path")))
                    .toList();
            return Optional.of(new AssetDetails(columns.get(), assetPaths, analysisCache.forAsset(c, id),
                    processLog.forAsset(c, id, shownPaths, ATTEMPTS_SHOWN)));
        });
    }

    /** Who accepted the content as good despite its integrity verdict, if anyone did. */
    public Optional<Acceptance> acceptance(String contentHash) {
        return database.read(c -> acceptances.find(c, contentHash));
    }

    /** The newest attempts at a file, by the path shown in process_log. */
    public List<LogEntry> attemptsFor(String filePath, int limit) {
        return database.read(c -> processLog.forAsset(c, "", List.of(filePath), limit));
    }

    /** What each analyzer returned for this content, under every configuration it ran with. */
    public List<CachedAnalysis> analysesOf(String contentHash) {
        return database.read(c -> analysisCache.forAsset(c, contentHash));
    }

    /** The model whose vectors search uses, if there are any vectors. */
    public Optional<EmbeddingModel> activeModel() {
        return database.read(c -> vectors.model(c, EmbeddingModel.ACTIVE));
    }

    public long countActiveVectors() {
        return database.read(search::countActiveVectors);
    }

    public void activeVectors(VectorSink sink) {
        database.read(c -> {
            search.activeVectors(c, sink::accept);
            return null;
        });
    }

    /** The active vectors of these assets (those that have one) with their liveness, in increasing id order. */
    public void activeVectorsOf(List<String> ids, VectorSink sink) {
        database.read(c -> {
            search.activeVectorsOf(c, ids, sink::accept);
            return null;
        });
    }

    /** The active vectors of these assets, by id (those that have one), as float32. */
    public Map<String, float[]> activeVectorsById(Collection<String> ids) {
        Map<String, float[]> vectors = new java.util.HashMap<>();
        database.read(c -> search.vectorsOf(c, ids)).forEach((id, packed) -> vectors.put(id, Vectors.unpack(packed)));
        return vectors;
    }

    /**
     * Up to {@code limit} committed changes of the feed after {@code after}, in order, split where
     * a transaction older than theirs is still running (see {@link ChangePage}); or word to load
     * everything again.
     */
    public ChangePage changesAfter(FeedPosition after, int limit) {
        return database.readSnapshot(c -> changes.after(c, after, limit));
    }

    /** Where a reader that loads the index now starts following its change feed (see {@code index_changes}). */
    public FeedPosition changeHead() {
        return database.read(changes::head);
    }

    public Optional<float[]> activeVector(String assetId) {
        return database.read(c -> vectors.activeVector(c, assetId));
    }

    /**
     * An asset a keyword query found: its BM25 score (lower is better; 0 when it was not ranked) and a
     * snippet with the match in [brackets] (null from a ranked search).
     */
    public record KeywordHit(String id, double score, String snippet) {}

    /** The best {@code limit} assets with a live path that match the keyword expression and the filter. */
    public List<KeywordHit> keywordSearch(String match, SearchFilter filter, int limit) {
        return database.read(c -> keywords.search(c, match, filter, limit));
    }

    /** Those of these assets that match the keyword expression, in the order given (nothing is ranked). */
    public List<KeywordHit> keywordMatchesAmong(String match, List<String> ids) {
        return database.read(c -> keywords.matchesAmong(c, match, ids));
    }

    /** How many assets match the keyword expression, counted up to {@code cap}. */
    public int keywordCountUpTo(String match, int cap) {
        return database.read(c -> keywords.countUpTo(c, match, cap));
    }

    /** Every asset whose indexed text matches the keyword expression. */
    public Set<String> keywordMatches(String match) {
        return database.read(c -> keywords.matchingIds(c, match));
    }

    /** The keyword index's texts of these assets, column by column (name, folder, job, camera, …). */
    public Map<String, Map<String, String>> keywordTexts(Collection<String> ids) {
        return database.read(c -> keywords.texts(c, ids));
    }

    /** The stored result of the asset's transcription (with its timed segments), if it has one. */
    public Optional<String> transcription(String assetId) {
        return database.read(c -> analysisCache.latestResult(c, assetId, "transcribe"));
    }

    /** These ids in the order of a sort of assets (ids of assets no longer there are dropped). */
    public List<String> sorted(Collection<String> ids, AssetSort sort) {
        return database.read(c -> listing.sorted(c, ids, sort));
    }

    /** Ids of assets with a live path that match the filter. */
    public List<String> matching(SearchFilter filter) {
        return database.read(c -> search.matching(c, filter));
    }

    /** Those of {@code ids} whose asset has a live path and matches the filter. */
    public Set<String> matchingAmong(SearchFilter filter, Collection<String> ids) {
        return database.read(c -> search.matchingAmong(c, filter, ids));
    }

    /**
     * The assets whose vector or live paths changed after {@code after} up to {@code upTo} of the
     * change feed, or empty when more than {@code max} changes were made (or a model changed, or
     * the feed no longer holds them): then it is cheaper to look at everything again.
     */
    public Optional<Set<String>> changedAssets(FeedPosition after, FeedPosition upTo, int max) {
        ChangePage page = changesAfter(after, max + 1);
        if (page.startOver()) {
            return Optional.empty();
        }
        Set<String> ids = new HashSet<>();
        int counted = 0;
        for (IndexChange change : page.finished()) {
            if (change.position().isAfter(upTo)) {
                break;
            }
            if (change.assetId() == null || ++counted > max) {
                return Optional.empty();
            }
            ids.add(change.assetId());
        }
        return Optional.of(ids);
    }

    /** Key facts and live paths of these assets, for showing hits. */
    public Map<String, Map<String, Object>> describe(List<String> ids) {
        return database.read(c -> search.describe(c, ids));
    }

    /**
     * One page of the assets with a live path that match {@code filter}, in {@code sort} order,
     * with how many match in all and their facets; the page, the total and the facets come from
     * one snapshot of the index.
     *
     * @param limit  1 to {@link AssetPage#MAX_LIMIT}
     * @param offset how many to skip, 0 or more
     */
    public AssetPage list(SearchFilter filter, AssetSort sort, int limit, int offset) {
        return list(filter, sort, limit, offset, FacetCache.NONE);
    }

    /**
     * Remembers the facets of a filter, and so its total, while the index's change feed looks the
     * same (a {@link FeedStamp}: a running service pages through the same filter again and again); reading
     * every match to count it is most of what a page costs.
     */
    public interface FacetCache {
        /** The facets of this filter counted in a snapshot that saw the feed as {@code stamp}, or null when unknown. */
        AssetFacets get(SearchFilter filter, FeedStamp stamp);

        void put(SearchFilter filter, FeedStamp stamp, AssetFacets facets);

        FacetCache NONE = new FacetCache() {
            @Override
            public AssetFacets get(SearchFilter filter, FeedStamp stamp) {
                return null;
            }

            @Override
            public void put(SearchFilter filter, FeedStamp stamp, AssetFacets facets) {
                // remembers nothing
            }
        };
    }

    /** As {@link #list(SearchFilter, AssetSort, int, int)}, with the facets (and total) remembered in {@code cache}. */
    public AssetPage list(SearchFilter filter, AssetSort sort, int limit, int offset, FacetCache cache) {
        if (limit < 1 || limit > AssetPage.MAX_LIMIT || offset < 0) {
            throw new IllegalArgumentException("limit must be 1 to " + AssetPage.MAX_LIMIT + " and offset at least 0,"
                    + " not " + limit + " and " + offset);
        }
        return database.readSnapshot(c -> {
            FeedStamp stamp = cache == FacetCache.NONE ? null : changes.stamp(c);
            // The unfiltered listing's facets are kept counted (SQLite); a filter's are counted (or remembered).
            AssetFacets counted = filter.equals(SearchFilter.NONE) ? IndexTallies.listed(c) : null;
            if (counted == null) {
                counted = cache.get(filter, stamp);
            }
            if (counted == null) {
                counted = facets.facets(c, filter);
                cache.put(filter, stamp, counted);
            }
            return new AssetPage(filter, sort, limit, offset, counted.total(), counted,
                    listing.page(c, filter, sort, limit, offset, counted.total()));
        });
    }

    /**
     * What is under a folder of a watch path ("" for the watch path itself): the folders one level
     * down with their assets, and the files directly in it; live paths only.
     *
     * @param folder a folder that {@link RelativeFolder#problem} finds nothing wrong with
     */
    public FolderCounts folder(String sourceRoot, String folder) {
        if (RelativeFolder.problem(folder).isPresent()) {
            throw new IllegalArgumentException("not a folder below a watch path: " + folder);
        }
        return database.read(c -> folders.under(c, sourceRoot, folder));
    }

    /** The watch paths as folders: the distinct assets with a live path under each, and under any of them. */
    public FolderCounts watchPaths(List<String> sourceRoots) {
        return database.read(c -> folders.roots(c, sourceRoots));
    }

    /** Ids that start with {@code prefix}; at most two, enough to tell unique from ambiguous. */
    public List<String> idsStartingWith(String prefix) {
        return database.read(c -> assets.idsWithPrefix(c, prefix, 2));
    }

    /** The asset recorded at an absolute path (live preferred over deleted). */
    public Optional<String> assetAt(String absPath) {
        return database.read(c -> paths.assetAt(c, database.host(), absPath));
    }
}
