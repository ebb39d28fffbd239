package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * SQL for {@code config_snapshots}: each config hash once, with the settings it stands for. A
 * hash is a digest of its settings text, so a row is never changed: recording one the index has
 * keeps the first (its version and time).
 */
final class ConfigSnapshotRepository {
    private static final List<String> COLUMNS = List.of("config_hash", "analyzer", "settings_text", "settings_json",
            "program_version", "recorded_at");

    /** The columns in the order {@link #read} takes them, of the table named {@code alias} in a query. */
    static String columns(String alias) {
        return String.join(", ", COLUMNS.stream().map(column -> alias + "." + column).toList());
    }

    /** Records the snapshots the index does not have yet; how many were new. */
    int record(Connection connection, Collection<ConfigSnapshot> snapshots) throws SQLException {
        int added = 0;
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO config_snapshots ("
                + String.join(", ", COLUMNS) + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (config_hash) DO NOTHING")) {
            for (ConfigSnapshot snapshot : snapshots) {
                insert.setString(1, snapshot.configHash());
                insert.setString(2, snapshot.analyzer());
                insert.setString(3, snapshot.settingsText());
                insert.setString(4, snapshot.settingsJson());
                insert.setString(5, snapshot.programVersion());
                insert.setString(6, Timestamps.stored(snapshot.recordedAt()));
                added += insert.executeUpdate();
            }
        }
        return added;
    }

    /** Every snapshot, oldest first. */
    List<ConfigSnapshot> all(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + columns("s")
                + " FROM config_snapshots s ORDER BY s.recorded_at, s.config_hash");
                ResultSet rs = query.executeQuery()) {
            List<ConfigSnapshot> snapshots = new ArrayList<>();
            while (rs.next()) {
                snapshots.add(read(rs, 1));
            }
            return snapshots;
        }
    }

    /** The snapshot in the {@link #columns} from column {@code first} on, or null when they are null (a left join's miss). */
    static ConfigSnapshot read(ResultSet rs, int first) throws SQLException {
        String hash = rs.getString(first);
        return hash == null ? null : new ConfigSnapshot(hash, rs.getString(first + 1), rs.getString(first + 2),
                rs.getString(first + 3), rs.getString(first + 4), Timestamps.parse(rs.getString(first + 5)));
    }
}
