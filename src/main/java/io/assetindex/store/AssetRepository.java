package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import io.assetindex.MediaType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** SQL for the {@code assets} table. */
final class AssetRepository {
    private static final List<AssetColumn> FACTS = List.of(AssetColumn.values());
    /**
     * Whether an asset has a transcript with words in it, 1 or 0, as a column of a query over
     * {@code assets}: what a hit and a listed asset show as {@code has_transcript}, without
     * carrying a transcript of hours to every result.
     */
    static final String HAS_TRANSCRIPT = "coalesce(length(trim(transcript, char(32, 9, 10, 13))) > 0, 0)";

    /** {@link #HAS_TRANSCRIPT} in a dialect: PostgreSQL has no char() and keeps booleans apart from numbers. */
    static String hasTranscript(Dialect dialect) {
        return dialect == Dialect.SQLITE ? HAS_TRANSCRIPT
                : "CASE WHEN length(btrim(transcript, chr(32) || chr(9) || chr(10) || chr(13))) > 0 THEN 1 ELSE 0 END";
    }
    private static final String INSERT = "INSERT INTO assets (id, file_name, file_path, source_root, job_id,"
            + " media_type, size_bytes, mtime, raw_json, indexed_at, "
            + FACTS.stream().map(AssetColumn::column).collect(Collectors.joining(", "))
            + ") VALUES (" + Stream.generate(() -> "?").limit(10 + FACTS.size()).collect(Collectors.joining(", "))
            + ") ON CONFLICT (id) DO NOTHING";

    /** Inserts the asset unless the content is already there; returns whether it was new. */
    boolean insertIfAbsent(Connection connection, NewAsset asset, Instant indexedAt) throws SQLException {
        PreparedStatement insert = KeptStatements.prepare(connection, INSERT);
        int i = 1;
        insert.setString(i++, asset.id());
        insert.setString(i++, asset.fileName());
        insert.setString(i++, asset.filePath());
        insert.setString(i++, asset.sourceRoot());
        insert.setString(i++, asset.jobId());
        insert.setString(i++, asset.mediaType().id());
        insert.setLong(i++, asset.sizeBytes());
        insert.setDouble(i++, asset.mtimeSeconds());
        insert.setString(i++, asset.rawJson());
        insert.setString(i++, Timestamps.stored(indexedAt));
        for (AssetColumn column : FACTS) {
            insert.setObject(i++, stored(asset.facts().get(column)));
        }
        return insert.executeUpdate() == 1;
    }

    /** A fact as the column holds it: a yes or no as 1 or 0 (SQLite stores a bound boolean so; PostgreSQL would refuse it). */
    private static Object stored(Object fact) {
        return fact instanceof Boolean yes ? (Integer) (yes ? 1 : 0) : fact;
    }

    private static final String UPDATE_FACTS = "UPDATE assets SET "
            + FACTS.stream().map(column -> column.column() + " = ?").collect(Collectors.joining(", "))
            + ", raw_json = ? WHERE id = ?";

    /** Replaces what the analyzers found: every fact column (null where no analyzer said) and raw_json. */
    void updateFacts(Connection connection, String id, Map<AssetColumn, Object> facts, String rawJson)
            throws SQLException {
        PreparedStatement update = KeptStatements.prepare(connection, UPDATE_FACTS);
        int i = 1;
        for (AssetColumn column : FACTS) {
            update.setObject(i++, stored(facts.get(column)));
        }
        update.setString(i++, rawJson);
        update.setString(i, id);
        update.executeUpdate();
    }

    /**
     * Assets of the given media types that have no result of {@code analyzer} under
     * {@code configHash}, with their most recently seen live path, after {@code afterId} in id order.
     */
    List<StaleAsset> stale(Connection connection, String analyzer, String configHash, Collection<MediaType> types,
            boolean retryGivenUp, String afterId, int limit) throws SQLException {
        String sql = STALE_FROM + " AND a.id > ? ORDER BY a.id LIMIT ?";
        try (PreparedStatement query = connection.prepareStatement(
                STALE_COLUMNS + sql.formatted(placeholders(types.size())))) {
            int i = bindStale(query, analyzer, configHash, types, retryGivenUp);
            query.setString(i++, afterId);
            query.setInt(i, limit);
            List<StaleAsset> stale = new ArrayList<>();
            readStale(query, stale);
            return stale;
        }
    }

    private static final String STALE_COLUMNS = "SELECT a.id, a.media_type, a.size_bytes, p.source_root, p.rel_path,"
            + " p.abs_path, p.job_id, p.size_bytes, p.mtime_ns ";

    private static void readStale(PreparedStatement query, List<StaleAsset> into) throws SQLException {
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                into.add(new StaleAsset(rs.getString(1), MediaType.fromId(rs.getString(2)), rs.getLong(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8),
                        rs.getLong(9)));
            }
        }
    }

    /** Those of these assets that are stale for the analyzer (as {@link #stale}), in the order of their ids. */
    List<StaleAsset> staleAmong(Connection connection, String analyzer, String configHash, Collection<MediaType> types,
            boolean retryGivenUp, Collection<String> ids) throws SQLException {
        List<String> all = List.copyOf(ids);
        List<StaleAsset> stale = new ArrayList<>();
        for (int from = 0; from < all.size(); from += Sql.IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + Sql.IN_CHUNK));
            try (PreparedStatement query = connection.prepareStatement(STALE_COLUMNS + STALE_FROM.formatted(
                    placeholders(types.size())) + " AND a.id IN (" + placeholders(chunk.size()) + ")")) {
                int i = bindStale(query, analyzer, configHash, types, retryGivenUp);
                for (String id : chunk) {
                    query.setString(i++, id);
                }
                readStale(query, stale);
            }
        }
        stale.sort(Comparator.comparing(StaleAsset::id));
        return stale;
    }

    long countStale(Connection connection, String analyzer, String configHash, Collection<MediaType> types,
            boolean retryGivenUp) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) " + STALE_FROM.formatted(placeholders(types.size())))) {
            bindStale(query, analyzer, configHash, types, retryGivenUp);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static final String STALE_FROM = """
            FROM assets a
            JOIN asset_paths p ON p.id = (SELECT id FROM asset_paths WHERE asset_id = a.id AND deleted_at IS NULL
                                          ORDER BY last_seen_at DESC LIMIT 1)
            WHERE a.media_type IN (%s)
              AND NOT EXISTS (SELECT 1 FROM analysis_cache c
                              WHERE c.asset_id = a.id AND c.analyzer = ? AND c.config_hash = ?
                                AND NOT (? AND json_extract(c.result_json, '$.gave_up') IS NOT NULL))""";

    private static int bindStale(PreparedStatement query, String analyzer, String configHash,
            Collection<MediaType> types, boolean retryGivenUp) throws SQLException {
        int i = 1;
        for (MediaType type : types) {
            query.setString(i++, type.id());
        }
        query.setString(i++, analyzer);
        query.setString(i++, configHash);
        query.setBoolean(i++, retryGivenUp);
        return i;
    }

    private static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    boolean exists(Connection connection, String id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM assets WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** All columns of one asset, by column name, in table order. */
    Optional<Map<String, Object>> find(Connection connection, String id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT * FROM assets WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Ids starting with {@code prefix} (at most {@code limit}), to resolve abbreviated ids. */
    List<String> idsWithPrefix(Connection connection, String prefix, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT id FROM assets WHERE id >= ? AND id < ? ORDER BY id LIMIT ?")) {
            query.setString(1, prefix);
            query.setString(2, Sql.upperBound(prefix));
            query.setInt(3, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData meta = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int column = 1; column <= meta.getColumnCount(); column++) {
            row.put(meta.getColumnLabel(column), rs.getObject(column));
        }
        return row;
    }
}
