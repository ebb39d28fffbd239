package io.assetindex.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.MediaType;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.scan.Indexing;
import io.assetindex.search.ListDocument;
import io.assetindex.search.SearchException;
import io.assetindex.search.SearchMode;
import io.assetindex.search.SearchService;
import io.assetindex.state.WatcherInfo;
import io.assetindex.store.AssetDetails;
import io.assetindex.store.AssetFacets;
import io.assetindex.store.AssetSort;
import io.assetindex.store.FailingFile;
import io.assetindex.store.FeedStamp;
import io.assetindex.store.FolderCounts;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.IntegrityFinding;
import io.assetindex.store.RelativeFolder;
import io.assetindex.store.RunKind;
import io.assetindex.store.SearchFilter;
import io.assetindex.util.Json;
import io.assetindex.util.ProcessOwner;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Answers queries from an index open in this process: a command's own, or the running daemon's
 * (then with the vectors it keeps in memory and the watcher's live state). Checks every request
 * the same way whoever asks, so the CLI and the API refuse the same things with the same words.
 * Thread-safe.
 */
public final class LocalQueries implements Queries {
    public static final int MAX_LIMIT = 10_000;
    /** The order of search results by relevance (the default), beside list's orders. */
    public static final String RELEVANCE = "relevance";
    private static final Pattern ID = Pattern.compile("[0-9a-f]{6,64}");

    private final AppConfig config;
    private final IndexDatabase database;
    private final IndexReader reader;
    private final SearchService search;
    private final Supplier<Optional<WatcherInfo>> watcher;
    private final Clock clock;
    private final RecentFacets facets = new RecentFacets();

    /**
     * @param database the open index, or null when there is none yet (only {@link #status()} answers then)
     * @param search   the search over that index (null with no index)
     * @param watcher  the workspace's watcher: as its state.json says, or the running service's own state
     */
    public LocalQueries(AppConfig config, IndexDatabase database, SearchService search,
            Supplier<Optional<WatcherInfo>> watcher, Clock clock) {
        this.config = config;
        this.database = database;
        this.reader = database == null ? null : new IndexReader(database);
        this.search = search;
        this.watcher = watcher;
        this.clock = clock;
    }

    /** The report behind {@link #status()}, typed (for {@code /metrics}). */
    public StatusReport statusReport() {
        return StatusReports.build(config, watcher.get(), database, clock);
    }

    @Override
    public JsonNode status() {
        return Json.MAPPER.valueToTree(statusReport());
    }

    @Override
    public JsonNode search(SearchQuery query) throws QueryException {
        String text = query.text() == null ? "" : query.text().strip();
        if (text.isEmpty()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "give some text to search for");
        }
        checkPage(query.limit(), query.offset());
        SearchFilter filter = checked(query.filter());
        SearchMode mode = query.mode() == null ? SearchMode.DEFAULT
                : SearchMode.fromId(query.mode().strip().toLowerCase(java.util.Locale.ROOT)).orElseThrow(() ->
                        new QueryException(QueryException.Kind.BAD_REQUEST, "mode must be one of " + SearchMode.ids()
                                + ", not '" + shorten(query.mode()) + "'"));
        String sortName = query.sort() == null ? RELEVANCE : query.sort().strip().toLowerCase(java.util.Locale.ROOT);
        AssetSort sort = sortName.equals(RELEVANCE) ? null : AssetSort.fromId(sortName).orElseThrow(() ->
                new QueryException(QueryException.Kind.BAD_REQUEST, "sort must be one of " + RELEVANCE + ", "
                        + AssetSort.ids() + ", not '" + shorten(query.sort()) + "'"));
        try {
            SearchService.Results results = searchService().search(text, mode, filter, query.limit(), query.offset(),
                    query.metric(), sort);
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("query", text);
            request.put("mode", mode.id());
            request.put("sort", sortName);
            return Json.MAPPER.valueToTree(Documents.search(results, request));
        } catch (SearchException e) {
            throw new QueryException(QueryException.Kind.FAILED, e.getMessage());
        }
    }

    @Override
    public JsonNode similar(SimilarQuery query) throws QueryException {
        checkPage(query.limit(), query.offset());
        SearchFilter filter = checked(query.filter());
        String id = assetId(query.id());
        Set<String> excluded = new LinkedHashSet<>();
        for (String other : query.exclude()) {
            excluded.add(assetId(other));
        }
        try {
            SearchService.Results results = searchService().similar(id, excluded, filter, query.limit(), query.offset(),
                    query.metric());
            Map<String, Object> request = new LinkedHashMap<>();
            request.put("similar_to", id);
            request.put("excluded", List.copyOf(excluded));
            return Json.MAPPER.valueToTree(Documents.search(results, request));
        } catch (SearchException e) {
            throw new QueryException(QueryException.Kind.FAILED, e.getMessage());
        }
    }

    @Override
    public JsonNode list(ListQuery query) throws QueryException {
        checkPage(query.limit(), query.offset());
        SearchFilter filter = checked(query.filter());
        AssetSort sort = query.sort() == null ? AssetSort.DEFAULT
                : AssetSort.fromId(query.sort().strip().toLowerCase(java.util.Locale.ROOT)).orElseThrow(() ->
                        new QueryException(QueryException.Kind.BAD_REQUEST, "sort must be one of " + AssetSort.ids()
                                + ", not '" + shorten(query.sort()) + "'"));
        return Json.MAPPER.valueToTree(ListDocument.of(index().list(filter, sort, query.limit(), query.offset(),
                facets), watchPathNames(), zone()));
    }

    @Override
    public JsonNode show(String id) throws QueryException {
        AssetDetails asset = asset(id);
        return Json.MAPPER.valueToTree(Documents.show(asset, Indexing.settings(config),
                index().acceptance(asset.id()).orElse(null), zone()));
    }

    /** Everything the index knows about one asset, by its id or a unique prefix of it. */
    public AssetDetails asset(String idOrPrefix) throws QueryException {
        return index().asset(assetId(idOrPrefix)).orElseThrow(() -> notFound(idOrPrefix));
    }

    @Override
    public JsonNode log(LogQuery query) throws QueryException {
        checkPage(query.limit(), query.offset());
        return Json.MAPPER.valueToTree(Documents.log(index().log(query.status(), query.limit(), query.offset()), zone()));
    }

    @Override
    public JsonNode failures(FailuresQuery query) throws QueryException {
        checkPage(query.limit(), query.offset());
        FailingFile.Page page = index().failingFiles(query.limit(), query.offset());
        return Json.MAPPER.valueToTree(Documents.failures(page, query.limit(), query.offset(), this::locate, zone()));
    }

    /** Findings read at most, in a run: a library with more damaged files than this has another problem. */
    static final int MAX_FINDINGS = 100_000;

    @Override
    public JsonNode integrity(IntegrityQuery query) throws QueryException {
        checkPage(query.limit(), query.offset());
        List<IntegrityFinding> all = new ArrayList<>();
        for (IntegrityFinding finding : index().integrityFindings(query.root(), MAX_FINDINGS)) {
            String type = finding.mediaType() != null ? finding.mediaType() : typeByExtension(finding.relPath());
            if (query.type() == null || query.type().id().equals(type)) {
                all.add(finding.withMediaType(type));
            }
        }
        return Json.MAPPER.valueToTree(Documents.integrity(all, query, all.size() >= MAX_FINDINGS,
                finding -> Files.isRegularFile(config.workspace().root().resolve(
                        WatchRoot.displayPath(finding.sourceRoot(), finding.relPath())), LinkOption.NOFOLLOW_LINKS),
                zone()));
    }

    @Override
    public JsonNode history(HistoryQuery query) throws QueryException {
        checkPage(query.limit(), query.offset());
        RunKind kind = query.kind() == null ? null : RunKind.fromId(query.kind()).orElseThrow(() ->
                new QueryException(QueryException.Kind.BAD_REQUEST, "kind must be one of " + RunKind.ids() + ", not '"
                        + shorten(query.kind()) + "'"));
        return Json.MAPPER.valueToTree(HistoryDocument.of(index().runs(kind, query.limit(), query.offset()), query,
                config.hostName(), ProcessOwner::isRunning, clock.instant(), zone()));
    }

    /** The media type the configuration gives a file name's extension, or null. */
    private String typeByExtension(String relPath) {
        int dot = relPath.lastIndexOf('.');
        MediaType type = dot < 0 ? null
                : config.mediaTypeByExtension().get(relPath.substring(dot + 1).toLowerCase(java.util.Locale.ROOT));
        return type == null ? null : type.id();
    }

    /** Where a file named in process_log is now: the watch path holding it, as a scan would file it. */
    private Documents.FileAt locate(String shownPath) {
        Path file = config.workspace().root().resolve(shownPath).normalize();
        Optional<WatchRoot> root = config.rootContaining(file);
        return new Documents.FileAt(root.map(WatchRoot::name).orElse(null),
                root.map(r -> r.relativeName(file)).orElse(null), Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS));
    }

    @Override
    public JsonNode folders(FolderQuery query) throws QueryException {
        String folder = query.folder() == null ? "" : query.folder();
        if (query.root() == null) {
            if (!folder.isEmpty()) {
                throw new QueryException(QueryException.Kind.BAD_REQUEST, "folder " + RelativeFolder.NEEDS_ROOT);
            }
            return Json.MAPPER.valueToTree(Documents.watchPaths(index().watchPaths(watchPathNames())));
        }
        WatchRoot root = watchRoot(query.root());
        Optional<String> problem = RelativeFolder.problem(folder);
        if (problem.isPresent()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "folder " + problem.get() + ", not '"
                    + shorten(folder) + "'");
        }
        FolderCounts counts = index().folder(root.name(), folder);
        if (!folder.isEmpty() && counts.isEmpty()) {
            throw new QueryException(QueryException.Kind.NOT_FOUND, "no folder " + shorten(folder) + " in watch path "
                    + root.name() + " holds an indexed file");
        }
        return Json.MAPPER.valueToTree(Documents.folders(root, folder, counts));
    }

    /** An asset's full id from its id or a unique prefix of 6+ characters. */
    public String assetId(String idOrPrefix) throws QueryException {
        String candidate = idOrPrefix == null ? "" : idOrPrefix.strip().toLowerCase(java.util.Locale.ROOT);
        if (!ID.matcher(candidate).matches()) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "an asset id is 6 to 64 hexadecimal characters"
                    + " (its SHA-256, or a unique prefix of it), not '" + shorten(idOrPrefix) + "'");
        }
        List<String> ids = index().idsStartingWith(candidate);
        if (ids.size() > 1) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST, "id prefix " + candidate
                    + " matches more than one asset; give more characters");
        }
        return ids.stream().findFirst().orElseThrow(() -> notFound(candidate));
    }

    private static QueryException notFound(String id) {
        return new QueryException(QueryException.Kind.NOT_FOUND, "no asset with id " + shorten(id));
    }

    private static String shorten(String text) {
        String shown = text == null ? "" : io.assetindex.util.Text.escapeControls(text);
        return shown.length() <= 80 ? shown : shown.substring(0, 77) + "...";
    }

    private static void checkPage(int limit, int offset) throws QueryException {
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            throw new QueryException(QueryException.Kind.BAD_REQUEST,
                    "limit must be 1 to " + MAX_LIMIT + " and offset at least 0");
        }
    }

    /** A filter whose watch path is one of this workspace's (its values checked themselves when it was made). */
    private SearchFilter checked(SearchFilter filter) throws QueryException {
        if (filter.sourceRoot() != null) {
            watchRoot(filter.sourceRoot());
        }
        return filter;
    }

    /** The configured watch path of this name; a bad request that names them otherwise. */
    private WatchRoot watchRoot(String name) throws QueryException {
        return config.watchRoots().stream().filter(root -> root.name().equals(name)).findFirst().orElseThrow(() ->
                new QueryException(QueryException.Kind.BAD_REQUEST, "root " + shorten(name)
                        + " is not a watch path; the watch paths are: " + String.join(", ", watchPathNames())));
    }

    private List<String> watchPathNames() {
        return config.watchRoots().stream().map(WatchRoot::name).toList();
    }

    private IndexReader index() throws QueryException {
        if (reader == null) {
            throw new QueryException(QueryException.Kind.FAILED, "no index in " + config.workspace().root()
                    + " yet; run 'asset-index scan' there first (or pass --workspace DIR)");
        }
        return reader;
    }

    private SearchService searchService() throws QueryException {
        index();
        return search;
    }

    private ZoneId zone() {
        return clock.getZone();
    }

    /** The facets (and so the totals) of the last few filters listed, each valid at one position of the change feed. */
    private static final class RecentFacets implements IndexReader.FacetCache {
        private static final int FILTERS = 64;

        private record AtStamp(FeedStamp stamp, AssetFacets facets) {}

        private final Map<SearchFilter, AtStamp> known = new java.util.LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<SearchFilter, AtStamp> eldest) {
                return size() > FILTERS;
            }
        };

        @Override
        public synchronized AssetFacets get(SearchFilter filter, FeedStamp stamp) {
            AtStamp facets = known.get(filter);
            return facets != null && facets.stamp().equals(stamp) ? facets.facets() : null;
        }

        @Override
        public synchronized void put(SearchFilter filter, FeedStamp stamp, AssetFacets facets) {
            known.put(filter, new AtStamp(stamp, facets));
        }
    }

    /** Closes what this owns: nothing; whoever opened the index and the search closes them. */
    @Override
    public void close() {
    }
}
