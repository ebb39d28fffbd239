package io.assetindex.store;

import io.assetindex.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** SQL for search: reading the active vectors, the assets that match a filter, and the facts shown with hits. */
final class SearchRepository {
    /** Ids per IN (...) list: well under SQLite's limit on parameters. */
    private static final int IN_CHUNK = 500;

    private final PathRepository paths = new PathRepository();

    /** Receives vectors in increasing id order. */
    @FunctionalInterface
    interface VectorSink {
        void accept(String id, byte[] embedding, boolean live, AssetShape shape) throws SQLException;
    }

    /**
     * Migration 14: what a vector's search needs of its asset, by id. Loading the vectors reads this
     * instead of the asset rows, which are large (raw_json): at a million assets, 100 MB instead of
     * gigabytes. Part of a released migration: never edit.
     */
    static final String SHAPE_INDEX = "CREATE INDEX assets_shape ON assets (id, media_type, width, height,"
            + " duration_seconds)";

    /**
     * A vector, whether its asset has a live path, and its asset's shape. INDEXED BY: without
     * statistics SQLite would find the asset by its primary key and read its row.
     */
    static final String VECTORS = "SELECT v.id, v.embedding, EXISTS (SELECT 1 FROM asset_paths p"
            + " WHERE p.asset_id = v.id AND p.deleted_at IS NULL), a.media_type, a.width, a.height, a.duration_seconds"
            + " FROM assets_vec v LEFT JOIN assets a INDEXED BY assets_shape ON a.id = v.id";

    private static void accept(ResultSet rs, VectorSink sink) throws SQLException {
        String type = rs.getString(4);
        int width = rs.getInt(5);
        Integer shownWidth = rs.wasNull() ? null : width;
        int height = rs.getInt(6);
        Integer shownHeight = rs.wasNull() ? null : height;
        double duration = rs.getDouble(7);
        Double seconds = rs.wasNull() ? null : duration;
        MediaType mediaType = null;
        if (type != null) {
            try {
                mediaType = MediaType.fromId(type);
            } catch (IllegalArgumentException e) {
                mediaType = null; // a damaged row: matches no type filter
            }
        }
        sink.accept(rs.getString(1), rs.getBytes(2), rs.getBoolean(3), new AssetShape(mediaType, shownWidth,
                shownHeight, seconds));
    }

    void activeVectors(Connection connection, VectorSink sink) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(VECTORS + " ORDER BY v.id")) {
            query.setFetchSize(5000);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    accept(rs, sink);
                }
            }
        }
    }

    /** The active vectors of these assets (those that have one), with whether each has a live path. */
    void activeVectorsOf(Connection connection, List<String> ids, VectorSink sink) throws SQLException {
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement(VECTORS + " WHERE v.id IN (" + marks + ")"
                    + " ORDER BY v.id")) {
                bind(query, chunk);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        accept(rs, sink);
                    }
                }
            }
        }
    }

    long countActiveVectors(Connection connection) throws SQLException {
        return IndexTallies.activeVectors(connection);
    }

    /** Ids of the assets with a live path that match every condition of the filter. */
    List<String> matching(Connection connection, SearchFilter filter) throws SQLException {
        FilterSql sql = new FilterSql(filter);
        try (PreparedStatement query = connection.prepareStatement("SELECT a.id FROM assets a WHERE "
                + sql.allMatchingWhere())) {
            sql.bindWhere(query, 1);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** The active vectors of these assets (those that have one), packed. */
    Map<String, byte[]> vectorsOf(Connection connection, Collection<String> ids) throws SQLException {
        List<String> all = List.copyOf(ids);
        Map<String, byte[]> vectors = new java.util.HashMap<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement("SELECT id, embedding FROM assets_vec WHERE id IN ("
                    + marks + ")")) {
                bind(query, chunk);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        vectors.put(rs.getString(1), rs.getBytes(2));
                    }
                }
            }
        }
        return vectors;
    }

    /** Those of {@code ids} whose asset has a live path and matches the filter. */
    Set<String> matchingAmong(Connection connection, SearchFilter filter, Collection<String> ids) throws SQLException {
        FilterSql sql = new FilterSql(filter);
        List<String> all = List.copyOf(ids);
        Set<String> matching = new HashSet<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement("SELECT a.id FROM assets a WHERE a.id IN ("
                    + marks + ") AND " + sql.where())) {
                bind(query, chunk);
                sql.bindWhere(query, chunk.size() + 1);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        matching.add(rs.getString(1));
                    }
                }
            }
        }
        return matching;
    }

    /** What a hit shows: the asset's key facts and its live paths (as shown), by id, in the order given. */
    Map<String, Map<String, Object>> describe(Connection connection, List<String> ids) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        ids.forEach(id -> out.put(id, null));
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
            try (PreparedStatement query = connection.prepareStatement("SELECT id, file_name, media_type, width, height,"
                    + " duration_seconds, fps, has_audio, " + AssetRepository.hasTranscript(Dialect.of(connection))
                    + " AS has_transcript,"
                    + " job_id, style, summary, audio_role, tags_json, mood_json"
                    + " FROM assets WHERE id IN (" + marks + ")")) {
                bind(query, chunk);
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), AssetRepository.row(rs));
                    }
                }
            }
        }
        Map<String, List<String>> livePaths = paths.liveDisplayPaths(connection, ids);
        out.forEach((id, row) -> {
            if (row != null) {
                row.put("paths", livePaths.getOrDefault(id, new ArrayList<>()));
            }
        });
        out.values().removeIf(Objects::isNull);
        return out;
    }

    private static void bind(PreparedStatement query, List<String> values) throws SQLException {
        for (int i = 0; i < values.size(); i++) {
            query.setString(i + 1, values.get(i));
        }
    }
}
