package io.assetindex.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.query.FailuresQuery;
import io.assetindex.query.FolderQuery;
import io.assetindex.query.HistoryQuery;
import io.assetindex.query.IntegrityQuery;
import io.assetindex.query.ListQuery;
import io.assetindex.query.LocalQueries;
import io.assetindex.query.LogQuery;
import io.assetindex.query.QueryException;
import io.assetindex.query.SearchQuery;
import io.assetindex.query.SimilarQuery;
import io.assetindex.store.AssetDetails;
import io.assetindex.store.StoreException;
import io.assetindex.util.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.ByteRange;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routes of the API. JSON bodies are the documents of the matching commands
 * ({@link LocalQueries}); errors are JSON too, {@code {"error": "...", "status": N}}: 400 with
 * what is allowed, 404 for an unknown id or route, 405 with the methods allowed. Every request
 * passes the {@link RequestGuard} first. No route takes a file path: files are reached by asset id.
 */
final class ApiHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger("api");
    private static final Pattern ASSET = Pattern.compile("/api/v1/assets/([^/]+)(/thumbnail|/file)?");
    private static final Pattern SIMILAR = Pattern.compile("/api/v1/similar/([^/]+)");
    private static final Set<String> PAGE = Set.of("limit", "offset");
    /** A year: the thumbnail and the original bytes at an asset's URL never change (the id is the content's hash). */
    private static final String IMMUTABLE = "private, max-age=31536000, immutable";

    private final LocalQueries queries;
    private final MediaFiles files;
    private final Requeue requeue;
    private final ApiMetrics metrics;
    private final RequestGuard guard;

    ApiHandler(LocalQueries queries, MediaFiles files, Requeue requeue, ApiMetrics metrics, RequestGuard guard) {
        this.queries = queries;
        this.files = files;
        this.requeue = requeue;
        this.metrics = metrics;
        this.guard = guard;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        long start = System.nanoTime();
        RequestGuard.secure(response.getHeaders());
        String route = "other";
        try {
            Optional<RequestGuard.Refusal> refusal = guard.check(request.getMethod(), request.getHeaders());
            if (refusal.isPresent()) {
                route = "refused";
                error(response, callback, refusal.get().status(), refusal.get().message());
                return true;
            }
            route = route(request, response, callback);
        } catch (QueryException e) {
            error(response, callback, status(e), e.getMessage());
        } catch (MethodNotAllowed e) {
            response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", e.allowed));
            error(response, callback, 405, e.getMessage());
        } catch (RuntimeException e) {
            if (StoreException.databaseUnreachable(e)) {
                // Not logged per request: the watcher and the vectors' follower say once that it went and came back.
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
                error(response, callback, 503, "the index database cannot be reached now (a PostgreSQL server"
                        + " restarting?); try again in a moment");
                return true;
            }
            LOG.error("[api] {} {} failed", request.getMethod(), request.getHttpURI().getPath(), e);
            error(response, callback, 500, "the request failed: " + e.getClass().getSimpleName() + "; see the error log");
        } finally {
            metrics.observe(route, System.nanoTime() - start);
        }
        return true;
    }

    /** Answers the request; returns the route's name (for the latency metric). */
    private String route(Request request, Response response, Callback callback)
            throws QueryException, MethodNotAllowed {
        String path = request.getHttpURI().getPath();
        Params params = new Params(Request.extractQueryParameters(request, StandardCharsets.UTF_8));
        String method = request.getMethod();
        if (path.equals("/api/v1/requeue")) {
            allow(method, "POST");
            params.allow(Set.of(), false);
            json(response, callback, requeue.start());
            return "requeue";
        }
        boolean head = method.equals("HEAD");
        allow(method, "GET", "HEAD");
        switch (path) {
            case "/api/v1/status" -> {
                params.allow(Set.of(), false);
                json(response, callback, queries.status());
                return "status";
            }
            case "/api/v1/search" -> {
                params.allow(Set.of("q", "mode", "sort", "metric", "limit", "offset"), true);
                json(response, callback, queries.search(new SearchQuery(params.text("q"), params.text("mode"),
                        params.filter(), params.wholeNumber("limit", 10, 1, LocalQueries.MAX_LIMIT),
                        params.wholeNumber("offset", 0, 0, Integer.MAX_VALUE), params.metric(), params.text("sort"))));
                return "search";
            }
            case "/api/v1/assets" -> {
                params.allow(Set.of("sort", "limit", "offset"), true);
                json(response, callback, queries.list(new ListQuery(params.filter(), params.text("sort"),
                        params.wholeNumber("limit", 20, 1, LocalQueries.MAX_LIMIT),
                        params.wholeNumber("offset", 0, 0, Integer.MAX_VALUE))));
                return "assets";
            }
            case "/api/v1/log" -> {
                params.allow(Set.of("status", "limit", "offset"), false);
                json(response, callback, queries.log(new LogQuery(params.status(),
                        params.wholeNumber("limit", 20, 1, LocalQueries.MAX_LIMIT),
                        params.wholeNumber("offset", 0, 0, Integer.MAX_VALUE))));
                return "log";
            }
            case "/api/v1/failures" -> {
                params.allow(PAGE, false);
                json(response, callback, queries.failures(new FailuresQuery(
                        params.wholeNumber("limit", 50, 1, LocalQueries.MAX_LIMIT),
                        params.wholeNumber("offset", 0, 0, Integer.MAX_VALUE))));
                return "failures";
            }
            case "/api/v1/integrity" -> {
                params.allow(Set.of("root", "type", "limit", "offset"), false);
                json(response, callback, queries.integrity(new IntegrityQuery(params.text("root"), params.mediaType("type"),
                        params.wholeNumber("limit", 50, 1, LocalQueries.MAX_LIMIT),
                        params.wholeNumber("offset", 0, 0, Integer.MAX_VALUE))));
                return "integrity";
            }
            case "/api/v1/history" -> {
                params.allow(Set.of("kind", "limit", "offset"), false);
                json(response, callback, queries.history(new HistoryQuery(params.text("kind"),
                        params.wholeNumber("limit", 20, 1, LocalQueries.MAX_LIMIT),
                        params.wholeNumber("offset", 0, 0, Integer.MAX_VALUE))));
                return "history";
            }
            case "/api/v1/folders" -> {
                params.allow(Set.of("root", "folder"), false);
                json(response, callback, queries.folders(new FolderQuery(params.text("root"), params.text("folder"))));
                return "folders";
            }
            case "/metrics" -> {
                params.allow(Set.of(), false);
                send(response, callback, 200, ApiMetrics.contentType(), scrape());
                return "metrics";
            }
            default -> {
                // matched below
            }
        }
        Matcher similar = SIMILAR.matcher(path);
        if (similar.matches()) {
            params.allow(Set.of("exclude", "metric", "limit", "offset"), true);
            json(response, callback, queries.similar(new SimilarQuery(similar.group(1), params.values("exclude"),
                    params.filter(), params.wholeNumber("limit", 10, 1, LocalQueries.MAX_LIMIT),
                    params.wholeNumber("offset", 0, 0, Integer.MAX_VALUE), params.metric())));
            return "similar";
        }
        Matcher asset = ASSET.matcher(path);
        if (asset.matches()) {
            params.allow(Set.of(), false);
            String part = asset.group(2);
            if (part == null) {
                json(response, callback, queries.show(asset.group(1)));
                return "asset";
            }
            AssetDetails details = queries.asset(asset.group(1));
            if (part.equals("/thumbnail")) {
                MediaFiles.Served thumbnail = files.thumbnail(details).orElseThrow(() -> new QueryException(
                        QueryException.Kind.NOT_FOUND, "asset " + details.id() + " has no thumbnail"
                        + ("audio".equals(details.columns().get("media_type")) ? " (audio has none)" : " yet")));
                file(request, response, callback, thumbnail, head, "public, max-age=604800");
                return "thumbnail";
            }
            MediaFiles.Served original = files.original(details).orElseThrow(() -> new QueryException(
                    QueryException.Kind.NOT_FOUND, files.otherHosts(details).isEmpty()
                            ? "no live path holds asset " + details.id() + " now"
                            : "asset " + details.id() + " is on host " + String.join(", ", files.otherHosts(details))
                                    + ", not on this service's host; ask the service there for its file"));
            file(request, response, callback, original, head, IMMUTABLE);
            return "file";
        }
        throw new QueryException(QueryException.Kind.NOT_FOUND, "no route " + Params.shorten(path)
                + "; the API is under /api/v1/ (status, search, similar/{id}, assets, assets/{id}, log, failures, integrity,"
                + " history, folders, requeue)");
    }

    private byte[] scrape() {
        try {
            return metrics.scrape();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Sends a file, or the one byte range asked for: 206 with Content-Range; 416 for a range
     * that is not satisfiable; several ranges are answered with the whole file (allowed by HTTP).
     * Answers 304 when the client holds it already (same entity tag).
     */
    private static void file(Request request, Response response, Callback callback, MediaFiles.Served served,
            boolean head, String cacheControl) {
        String etag = "\"" + served.etag() + "\"";
        response.getHeaders().put(HttpHeader.ETAG, etag);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, cacheControl);
        response.getHeaders().put(HttpHeader.ACCEPT_RANGES, "bytes");
        String ifNoneMatch = request.getHeaders().get(HttpHeader.IF_NONE_MATCH);
        if (ifNoneMatch != null && (ifNoneMatch.contains(etag) || ifNoneMatch.strip().equals("*"))) {
            response.setStatus(HttpStatus.NOT_MODIFIED_304);
            response.write(true, null, callback);
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, served.contentType());
        long length = served.length();
        long offset = 0;
        long count = length;
        List<String> ranges = request.getHeaders().getValuesList(HttpHeader.RANGE);
        String ifRange = request.getHeaders().get(HttpHeader.IF_RANGE);
        if (!ranges.isEmpty() && (ifRange == null || ifRange.equals(etag))) {
            List<ByteRange> satisfiable = ByteRange.parse(ranges, length);
            if (satisfiable.isEmpty()) {
                response.setStatus(HttpStatus.RANGE_NOT_SATISFIABLE_416);
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, ByteRange.toNonSatisfiableHeaderValue(length));
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
                byte[] body = Json.write(Map.of("error", "the range asked for is not within the " + length
                        + " bytes of the file", "status", 416)).getBytes(StandardCharsets.UTF_8);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return;
            }
            if (satisfiable.size() == 1) {
                ByteRange range = satisfiable.get(0);
                offset = range.first();
                count = range.getLength();
                response.setStatus(HttpStatus.PARTIAL_CONTENT_206);
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, range.toHeaderValue(length));
            }
        }
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, count);
        if (head) {
            response.write(true, null, callback);
            return;
        }
        Content.copy(Content.Source.from(served.file(), offset, count), response, callback);
    }

    private static void allow(String method, String... allowed) throws MethodNotAllowed {
        if (!List.of(allowed).contains(method)) {
            throw new MethodNotAllowed(List.of(allowed));
        }
    }

    /** A method the route does not take: 405, with the methods it does. */
    private static final class MethodNotAllowed extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient List<String> allowed;

        MethodNotAllowed(List<String> allowed) {
            super("this route takes " + String.join(" or ", allowed), null, false, false);
            this.allowed = allowed;
        }
    }

    private static int status(QueryException e) {
        return switch (e.kind()) {
            case BAD_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case UNAVAILABLE -> 503;
            case FAILED -> 500;
        };
    }

    private static void json(Response response, Callback callback, JsonNode document) {
        send(response, callback, 200, "application/json; charset=utf-8", Json.write(document)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void error(Response response, Callback callback, int status, String message) {
        if (status == 401) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
        }
        send(response, callback, status, "application/json; charset=utf-8",
                Json.write(Map.of("error", message, "status", status)).getBytes(StandardCharsets.UTF_8));
    }

    private static void send(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        if (!response.getHeaders().contains(HttpHeader.CACHE_CONTROL)) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
