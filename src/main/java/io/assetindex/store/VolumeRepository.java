package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL for {@code volumes}: the devices a host's walks found under its watch paths, and the
 * deletions it holds back. Each host reads and writes its own rows.
 */
final class VolumeRepository {

    /** The volumes the host recorded under a root, by prefix. */
    Map<String, Volume> under(Connection connection, String host, String sourceRoot) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT rel_prefix, device, files, seen_at,"
                + " held_since, held_reason FROM volumes WHERE host = ? AND source_root = ? ORDER BY rel_prefix")) {
            query.setString(1, host);
            query.setString(2, sourceRoot);
            Map<String, Volume> volumes = new LinkedHashMap<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Volume volume = volume(rs, 1);
                    volumes.put(volume.relPrefix(), volume);
                }
            }
            return volumes;
        }
    }

    /** Every volume of the host whose deletions are held back, with its root, oldest first. */
    List<Map.Entry<String, Volume>> held(Connection connection, String host) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT source_root, rel_prefix, device, files,"
                + " seen_at, held_since, held_reason FROM volumes WHERE host = ? AND held_since IS NOT NULL"
                + " ORDER BY held_since")) {
            query.setString(1, host);
            List<Map.Entry<String, Volume>> held = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    held.add(Map.entry(rs.getString(1), volume(rs, 2)));
                }
            }
            return held;
        }
    }

    /** Records what a walk found: its device and files, and whether its deletions are held (reason) or not (null). */
    void record(Connection connection, String host, String sourceRoot, String relPrefix, String device, long files,
            String heldReason, Instant at) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO volumes (source_root, rel_prefix, device, files, seen_at, held_since, held_reason, host)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (host, source_root, rel_prefix) DO UPDATE SET
                    device = CASE WHEN excluded.held_reason IS NULL THEN excluded.device ELSE volumes.device END,
                    files = CASE WHEN excluded.held_reason IS NULL THEN excluded.files ELSE volumes.files END,
                    seen_at = excluded.seen_at,
                    held_since = CASE WHEN excluded.held_reason IS NULL THEN NULL
                                      ELSE coalesce(volumes.held_since, excluded.held_since) END,
                    held_reason = excluded.held_reason""")) {
            String when = Timestamps.stored(at);
            upsert.setString(1, sourceRoot);
            upsert.setString(2, relPrefix);
            upsert.setString(3, device);
            upsert.setLong(4, files);
            upsert.setString(5, when);
            upsert.setString(6, heldReason == null ? null : when);
            upsert.setString(7, heldReason);
            upsert.setString(8, host);
            upsert.executeUpdate();
        }
    }

    /** Forgets a mount point that is no longer one (the user confirmed its files are gone). */
    void forget(Connection connection, String host, String sourceRoot, String relPrefix) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM volumes WHERE host = ? AND source_root = ? AND rel_prefix = ?")) {
            delete.setString(1, host);
            delete.setString(2, sourceRoot);
            delete.setString(3, relPrefix);
            delete.executeUpdate();
        }
    }

    private static Volume volume(ResultSet rs, int first) throws SQLException {
        String heldSince = rs.getString(first + 4);
        return new Volume(rs.getString(first), rs.getString(first + 1), rs.getLong(first + 2),
                Timestamps.parse(rs.getString(first + 3)), heldSince == null ? null : Timestamps.parse(heldSince),
                rs.getString(first + 5));
    }
}
