package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** SQL for search: reading the active vectors, the assets that match a filter, and the facts shown with hits. */
final class SearchRepository {

    /** Receives vectors in increasing id order. */
    @FunctionalInterface
    interface VectorSink {
        void accept(String id, byte[] embedding, boolean live) throws SQLException;
    }

    void activeVectors(Connection connection, VectorSink sink) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT v.id, v.embedding, EXISTS (SELECT 1"
                + " FROM asset_paths p WHERE p.asset_id = v.id AND p.deleted_at IS NULL) FROM assets_vec v ORDER BY v.id")) {
            query.setFetchSize(5000);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    sink.accept(rs.getString(1), rs.getBytes(2), rs.getBoolean(3));
                }
            }
        }
    }

    long countActiveVectors(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM assets_vec");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Ids of the assets with a live path that match every condition of the filter. */
    List<String> matching(Connection connection, SearchFilter filter) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT a.id FROM assets a WHERE EXISTS (SELECT 1 FROM asset_paths p"
                + " WHERE p.asset_id = a.id AND p.deleted_at IS NULL");
        List<Object> params = new ArrayList<>();
        if (filter.sourceRoot() != null) {
            sql.append(" AND p.source_root = ?");
            params.add(filter.sourceRoot());
        }
        if (filter.jobId() != null) {
            sql.append(" AND p.job_id = ?");
            params.add(filter.jobId());
        }
        if (filter.pathContains() != null) {
            sql.append(" AND instr(lower(CASE p.source_root WHEN '.' THEN p.rel_path ELSE p.source_root || '/' || p.rel_path END),"
                    + " lower(?)) > 0");
            params.add(filter.pathContains());
        }
        sql.append(")");
        if (filter.mediaType() != null) {
            sql.append(" AND a.media_type = ?");
            params.add(filter.mediaType().id());
        }
        if (filter.minDurationSeconds() != null) {
            sql.append(" AND a.duration_seconds >= ?");
            params.add(filter.minDurationSeconds());
        }
        if (filter.maxDurationSeconds() != null) {
            sql.append(" AND a.duration_seconds <= ?");
            params.add(filter.maxDurationSeconds());
        }
        if (filter.minWidth() != null) {
            sql.append(" AND a.width >= ?");
            params.add(filter.minWidth());
        }
        if (filter.minHeight() != null) {
            sql.append(" AND a.height >= ?");
            params.add(filter.minHeight());
        }
        if (filter.audioRole() != null) {
            sql.append(" AND a.audio_role = ?");
            params.add(filter.audioRole());
        }
        if (!filter.anyTags().isEmpty()) {
            String marks = String.join(", ", Collections.nCopies(filter.anyTags().size(), "?"));
            sql.append(" AND (EXISTS (SELECT 1 FROM json_each(coalesce(a.tags_json, '[]')) WHERE lower(value) IN (")
                    .append(marks).append(")) OR EXISTS (SELECT 1 FROM json_each(coalesce(a.mood_json, '[]'))"
                            + " WHERE lower(value) IN (").append(marks).append(")))");
            for (int twice = 0; twice < 2; twice++) {
                filter.anyTags().forEach(tag -> params.add(tag.toLowerCase(Locale.ROOT)));
            }
        }
        try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < params.size(); i++) {
                query.setObject(i + 1, params.get(i));
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    /** What a hit shows: the asset's key facts and its live paths (as shown), by id. */
    Map<String, Map<String, Object>> describe(Connection connection, Collection<String> ids) throws SQLException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        for (String id : ids) {
            try (PreparedStatement query = connection.prepareStatement("SELECT id, file_name, media_type, width, height,"
                    + " duration_seconds, fps, has_audio, job_id, style, summary, audio_role, tags_json, mood_json"
                    + " FROM assets WHERE id = ?")) {
                query.setString(1, id);
                try (ResultSet rs = query.executeQuery()) {
                    if (rs.next()) {
                        out.put(id, AssetRepository.row(rs));
                    }
                }
            }
            try (PreparedStatement query = connection.prepareStatement("SELECT CASE source_root WHEN '.' THEN rel_path"
                    + " ELSE source_root || '/' || rel_path END FROM asset_paths WHERE asset_id = ? AND deleted_at IS NULL"
                    + " ORDER BY source_root, rel_path")) {
                query.setString(1, id);
                List<String> paths = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        paths.add(rs.getString(1));
                    }
                }
                if (out.containsKey(id)) {
                    out.get(id).put("paths", paths);
                }
            }
        }
        return out;
    }
}
