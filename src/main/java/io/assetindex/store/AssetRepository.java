package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** SQL for the {@code assets} table. */
final class AssetRepository {
    private static final List<AssetColumn> FACTS = List.of(AssetColumn.values());
    private static final String INSERT = "INSERT INTO assets (id, file_name, file_path, source_root, job_id,"
            + " media_type, size_bytes, mtime, raw_json, indexed_at, "
            + FACTS.stream().map(AssetColumn::column).collect(Collectors.joining(", "))
            + ") VALUES (" + Stream.generate(() -> "?").limit(10 + FACTS.size()).collect(Collectors.joining(", "))
            + ") ON CONFLICT (id) DO NOTHING";

    /** Inserts the asset unless the content is already there; returns whether it was new. */
    boolean insertIfAbsent(Connection connection, NewAsset asset, Instant indexedAt) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
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
                insert.setObject(i++, asset.facts().get(column));
            }
            return insert.executeUpdate() == 1;
        }
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
