package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** SQL for {@code analysis_cache}: what each analyzer returned, by (asset, analyzer, config hash). */
final class AnalysisCacheRepository {

    private static final String UPSERT = """
            INSERT INTO analysis_cache (asset_id, analyzer, config_hash, result_json, duration_ms, created_at)
            VALUES (?, ?, ?, ?, ?, ?)
            ON CONFLICT (asset_id, analyzer, config_hash) DO UPDATE SET
                result_json = excluded.result_json,
                duration_ms = excluded.duration_ms,
                created_at = excluded.created_at""";

    void put(Connection connection, String assetId, AnalysisRecord record, Instant at) throws SQLException {
        upsert(connection, UPSERT, assetId, record, Timestamps.stored(at));
    }

    /** Puts a result made elsewhere (an import) unless this index has a newer one; 1 if written, else 0. */
    int putIfNewer(Connection connection, String assetId, AnalysisRecord record, String createdAt) throws SQLException {
        return upsert(connection, UPSERT + " WHERE excluded.created_at > analysis_cache.created_at", assetId, record,
                createdAt);
    }

    private static int upsert(Connection connection, String sql, String assetId, AnalysisRecord record,
            String createdAt) throws SQLException {
        PreparedStatement upsert = KeptStatements.prepare(connection, sql);
        upsert.setString(1, assetId);
        upsert.setString(2, record.analyzer());
        upsert.setString(3, record.configHash());
        upsert.setString(4, record.resultJson());
        upsert.setLong(5, record.durationMs());
        upsert.setString(6, createdAt);
        return upsert.executeUpdate();
    }

    Optional<AnalysisRecord> find(Connection connection, String assetId, String analyzer, String configHash)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT result_json, duration_ms"
                + " FROM analysis_cache WHERE asset_id = ? AND analyzer = ? AND config_hash = ?")) {
            query.setString(1, assetId);
            query.setString(2, analyzer);
            query.setString(3, configHash);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next()
                        ? Optional.of(new AnalysisRecord(analyzer, configHash, rs.getString(1), rs.getLong(2)))
                        : Optional.empty();
            }
        }
    }

    /** Every result cached for a content, under any analyzer and settings. */
    List<AnalysisRecord> allFor(Connection connection, String assetId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT analyzer, config_hash, result_json,"
                + " duration_ms FROM analysis_cache WHERE asset_id = ?")) {
            query.setString(1, assetId);
            try (ResultSet rs = query.executeQuery()) {
                List<AnalysisRecord> records = new ArrayList<>();
                while (rs.next()) {
                    records.add(new AnalysisRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4)));
                }
                return records;
            }
        }
    }

    /** The result of an asset's most recent analysis by {@code analyzer}, under any settings. */
    Optional<String> latestResult(Connection connection, String assetId, String analyzer) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT result_json FROM analysis_cache WHERE"
                + " asset_id = ? AND analyzer = ? ORDER BY created_at DESC LIMIT 1")) {
            query.setString(1, assetId);
            query.setString(2, analyzer);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /** Every result for the content, by analyzer and then oldest first, with the settings each was computed with. */
    List<CachedAnalysis> forAsset(Connection connection, String assetId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT c.analyzer, c.config_hash, c.result_json,"
                + " c.duration_ms, c.created_at, " + ConfigSnapshotRepository.columns("s") + " FROM analysis_cache c"
                + " LEFT JOIN config_snapshots s ON s.config_hash = c.config_hash WHERE c.asset_id = ?"
                + " ORDER BY c.analyzer, c.created_at")) {
            query.setString(1, assetId);
            List<CachedAnalysis> analyses = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    analyses.add(new CachedAnalysis(new AnalysisRecord(rs.getString(1), rs.getString(2),
                            rs.getString(3), rs.getLong(4)), Timestamps.parse(rs.getString(5)),
                            ConfigSnapshotRepository.read(rs, 6)));
                }
            }
            return analyses;
        }
    }

    /** The files the analyses of {@code analyzer} say they wrote ({@code $.path}), for assets in the index. */
    /**
     * A page of derived files: parameters analyzer, the last (asset id, config hash) of the page before,
     * limit. The page starts in the primary key where the last one ended (the "+" keeps SQLite from
     * reading every result of the analyzer through its index, and sorting them, for every page).
     */
    static final String DERIVED_FILES_PAGE = "SELECT c.asset_id, c.config_hash, json_extract(c.result_json, '$.path')"
            + " FROM analysis_cache c JOIN assets a ON a.id = c.asset_id WHERE +c.analyzer = ?1"
            + " AND (c.asset_id, c.analyzer, c.config_hash) > (?2, ?1, ?3)"
            + " AND json_extract(c.result_json, '$.path') IS NOT NULL ORDER BY c.asset_id, c.analyzer, c.config_hash"
            + " LIMIT ?4";

    /**
     * Up to {@code limit} files {@code analyzer} wrote for assets of the index, after {@code after}
     * (null for the first), in (asset id, config hash) order.
     */
    List<DerivedFile> derivedFiles(Connection connection, String analyzer, DerivedFile after, int limit)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(DERIVED_FILES_PAGE)) {
            query.setString(1, analyzer);
            query.setString(2, after == null ? "" : after.assetId());
            query.setString(3, after == null ? "" : after.configHash());
            query.setInt(4, limit);
            List<DerivedFile> files = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    files.add(new DerivedFile(rs.getString(1), analyzer, rs.getString(2), rs.getString(3)));
                }
            }
            return files;
        }
    }

    int delete(Connection connection, String assetId, String analyzer, String configHash) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM analysis_cache WHERE asset_id = ? AND analyzer = ? AND config_hash = ?")) {
            delete.setString(1, assetId);
            delete.setString(2, analyzer);
            delete.setString(3, configHash);
            return delete.executeUpdate();
        }
    }
}
