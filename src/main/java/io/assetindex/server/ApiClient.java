package io.assetindex.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.query.FailuresQuery;
import io.assetindex.query.FolderQuery;
import io.assetindex.query.HistoryQuery;
import io.assetindex.query.IntegrityQuery;
import io.assetindex.query.ListQuery;
import io.assetindex.query.LogQuery;
import io.assetindex.query.Queries;
import io.assetindex.query.QueryException;
import io.assetindex.query.SearchQuery;
import io.assetindex.query.SimilarQuery;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.SearchFilter;
import io.assetindex.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link Queries} answered by a running service over its HTTP API: the same documents the
 * commands print from. Errors the service answers (400, 404, 500) are the query's errors with the
 * service's message; a service that cannot be reached, does not answer in time or refuses the
 * token is {@link Unreachable}, so the caller can answer in its own process instead.
 *
 * <p>{@link HttpURLConnection} rather than {@code java.net.http.HttpClient}: a CLI query makes one
 * request, and the older client starts faster (no selector thread, fewer classes), which is most
 * of what such a command costs.
 */
public final class ApiClient implements Queries {
    /** Answers larger than this are refused (a page of 10,000 results is far smaller). */
    static final long MAX_ANSWER_BYTES = 256L * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final int READ_TIMEOUT_MS = 30_000;

    /** The service did not answer the question (not reachable, too slow, refused the token). */
    public static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    private final URI base;
    private final String token;

    /**
     * @param base  where the service answers, e.g. {@code http://127.0.0.1:8317}
     * @param token the token its requests need, or null
     */
    public ApiClient(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    public URI base() {
        return base;
    }

    @Override
    public JsonNode status() throws QueryException {
        return get("/api/v1/status", new Query());
    }

    @Override
    public JsonNode search(SearchQuery query) throws QueryException {
        return get("/api/v1/search", new Query().add("q", query.text()).add("mode", query.mode())
                .filter(query.filter()).add("sort", query.sort()).page(query.limit(), query.offset())
                .metric(query.metric()));
    }

    @Override
    public JsonNode similar(SimilarQuery query) throws QueryException {
        Query params = new Query().filter(query.filter()).page(query.limit(), query.offset()).metric(query.metric());
        query.exclude().forEach(id -> params.add("exclude", id));
        return get("/api/v1/similar/" + segment(query.id()), params);
    }

    @Override
    public JsonNode list(ListQuery query) throws QueryException {
        return get("/api/v1/assets", new Query().filter(query.filter()).add("sort", query.sort())
                .page(query.limit(), query.offset()));
    }

    @Override
    public JsonNode show(String id) throws QueryException {
        return get("/api/v1/assets/" + segment(id), new Query());
    }

    @Override
    public JsonNode log(LogQuery query) throws QueryException {
        return get("/api/v1/log", new Query().add("status", query.status() == null ? null : query.status().id())
                .page(query.limit(), query.offset()));
    }

    @Override
    public JsonNode failures(FailuresQuery query) throws QueryException {
        return get("/api/v1/failures", new Query().page(query.limit(), query.offset()));
    }

    @Override
    public JsonNode integrity(IntegrityQuery query) throws QueryException {
        return get("/api/v1/integrity", new Query().add("root", query.root())
                .add("type", query.type() == null ? null : query.type().id()).page(query.limit(), query.offset()));
    }

    @Override
    public JsonNode history(HistoryQuery query) throws QueryException {
        return get("/api/v1/history", new Query().add("kind", query.kind()).page(query.limit(), query.offset()));
    }

    @Override
    public JsonNode folders(FolderQuery query) throws QueryException {
        return get("/api/v1/folders", new Query().add("root", query.root()).add("folder", query.folder()));
    }

    @Override
    public void close() {
        // nothing held between requests
    }

    /** An id as one path segment: only the characters an id has pass, anything else is encoded. */
    private static String segment(String id) {
        return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private JsonNode get(String path, Query query) throws QueryException {
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) base.resolve(path + query).toURL().openConnection();
        } catch (IOException | IllegalArgumentException e) {
            throw new Unreachable("cannot ask " + base + ": " + e.getMessage(), e);
        }
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(READ_TIMEOUT_MS);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setRequestProperty("Accept", "application/json");
        if (token != null) {
            connection.setRequestProperty("Authorization", "Bearer " + token);
        }
        try {
            int status = connection.getResponseCode();
            if (status == 401 || status == 403) {
                throw new Unreachable("the service at " + base + " refused the request (" + status + "): "
                        + message(connection.getErrorStream()), null);
            }
            if (status == 200) {
                try (InputStream in = connection.getInputStream()) {
                    return read(in);
                }
            }
            String message = message(connection.getErrorStream());
            throw new QueryException(kind(status), message);
        } catch (IOException | UncheckedIOException e) {
            throw new Unreachable("the service at " + base + " did not answer: " + e.getMessage(), e);
        } finally {
            connection.disconnect();
        }
    }

    private static JsonNode read(InputStream in) throws IOException {
        InputStream capped = new InputStream() {
            private long left = MAX_ANSWER_BYTES;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                if (left <= 0) {
                    throw new IOException("the answer is larger than " + MAX_ANSWER_BYTES + " bytes");
                }
                int read = in.read(bytes, offset, (int) Math.min(length, left));
                if (read > 0) {
                    left -= read;
                }
                return read;
            }
        };
        return Json.MAPPER.readTree(capped);
    }

    /** The message of an error answer: its {@code error} field, or the status when the body says nothing useful. */
    private static String message(InputStream body) throws IOException {
        if (body == null) {
            return "no message";
        }
        try (InputStream in = body) {
            byte[] bytes = in.readNBytes(64 * 1024);
            JsonNode error = Json.MAPPER.readTree(bytes).path("error");
            return error.isTextual() ? error.asText() : "no message";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return "an answer that is not JSON";
        }
    }

    private static QueryException.Kind kind(int status) {
        return switch (status) {
            case 400, 405 -> QueryException.Kind.BAD_REQUEST;
            case 404 -> QueryException.Kind.NOT_FOUND;
            case 503 -> QueryException.Kind.UNAVAILABLE;
            default -> QueryException.Kind.FAILED;
        };
    }

    /** A query string being built; {@link #toString()} gives it with its {@code ?}. */
    private static final class Query {
        private final List<String> pairs = new ArrayList<>();

        Query add(String name, Object value) {
            if (value != null) {
                pairs.add(name + "=" + URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
            }
            return this;
        }

        Query page(int limit, int offset) {
            return add("limit", limit).add("offset", offset);
        }

        Query metric(Metric metric) {
            return add("metric", metric == null ? null : metric.name().toLowerCase(Locale.ROOT));
        }

        /** The filter as the parameters {@link Params#filter()} reads. */
        Query filter(SearchFilter filter) {
            add("type", filter.mediaType() == null ? null : filter.mediaType().id());
            add("min_duration", filter.minDurationSeconds());
            add("max_duration", filter.maxDurationSeconds());
            add("min_width", filter.minWidth());
            add("min_height", filter.minHeight());
            add("root", filter.sourceRoot());
            add("folder", filter.folder());
            add("job", filter.jobId());
            filter.anyTags().forEach(tag -> add("tag", tag));
            add("path", filter.pathContains());
            return add("audio_role", filter.audioRole());
        }

        @Override
        public String toString() {
            return pairs.isEmpty() ? "" : "?" + String.join("&", pairs);
        }
    }
}
