package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL for re-verification: {@code asset_paths.verified_at} and {@code bit_rot}. A bit rot row is a
 * host's finding about a path of that host, and counts only while that path still records the same
 * content, size and mtime: a file replaced, re-indexed or deleted since is no longer reported (and
 * the row is dropped by the next pass). Each host reads and writes its own findings.
 */
final class VerificationRepository {
    /** When a live path was last known to hold its content: part of a released migration, never edit. */
    static final String LAST_VERIFIED = "coalesce(verified_at, first_seen_at)";

    /**
     * One host's findings (the parameter) whose path on that host still records that content, size and
     * mtime. CROSS JOIN makes SQLite read the few findings and look each path up, never every live path
     * (without statistics it would).
     */
    static final String CURRENT_BIT_ROT = """
            FROM bit_rot b CROSS JOIN asset_paths p ON p.source_root = b.source_root AND p.rel_path = b.rel_path
                AND p.host = b.host
            WHERE b.host = ? AND p.deleted_at IS NULL AND p.asset_id = b.expected_hash
                AND p.size_bytes = b.size_bytes AND p.mtime_ns = b.mtime_ns""";

    /** {@link #CURRENT_BIT_ROT} in an index not yet upgraded to findings per host (read by doctor): all of them. */
    private static final String CURRENT_BIT_ROT_BY_NAME = """
            FROM bit_rot b CROSS JOIN asset_paths p ON p.source_root = b.source_root AND p.rel_path = b.rel_path
            WHERE p.deleted_at IS NULL AND p.asset_id = b.expected_hash AND p.size_bytes = b.size_bytes
                AND p.mtime_ns = b.mtime_ns""";

    /** The live paths least recently verified, verified before {@code before}, oldest first. */
    List<DuePath> due(Connection connection, String host, Instant before, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT source_root, rel_path, abs_path, asset_id,"
                + " size_bytes, mtime_ns FROM asset_paths INDEXED BY asset_paths_verify_due WHERE deleted_at IS NULL"
                + " AND " + LAST_VERIFIED + " < ? AND host = ? ORDER BY " + LAST_VERIFIED + " LIMIT ?")) {
            query.setString(1, Timestamps.stored(before));
            query.setString(2, host);
            query.setInt(3, limit);
            List<DuePath> due = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    due.add(new DuePath(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), rs.getLong(6)));
                }
            }
            return due;
        }
    }

    /** How many live paths are due, and their bytes. */
    long[] countDue(Connection connection, String host, Instant before) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*), coalesce(sum(size_bytes), 0)"
                + " FROM asset_paths INDEXED BY asset_paths_verify_due WHERE deleted_at IS NULL AND " + LAST_VERIFIED
                + " < ? AND host = ?")) {
            query.setString(1, Timestamps.stored(before));
            query.setString(2, host);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** Records that the path was read at {@code at}, if it still records the content that was compared. */
    void verified(Connection connection, String host, DuePath path, Instant at) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE asset_paths SET verified_at = ? WHERE"
                + " host = ? AND source_root = ? AND rel_path = ? AND asset_id = ?")) {
            update.setString(1, Timestamps.stored(at));
            update.setString(2, host);
            update.setString(3, path.sourceRoot());
            update.setString(4, path.relPath());
            update.setString(5, path.assetId());
            update.executeUpdate();
        }
    }

    void recordBitRot(Connection connection, String host, DuePath path, String foundHash, Instant at)
            throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO bit_rot (host, source_root, rel_path, expected_hash, found_hash, size_bytes, mtime_ns,
                                     found_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (host, source_root, rel_path) DO UPDATE SET expected_hash = excluded.expected_hash,
                    found_hash = excluded.found_hash, size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns,
                    found_at = CASE WHEN bit_rot.found_hash = excluded.found_hash
                        AND bit_rot.expected_hash = excluded.expected_hash THEN bit_rot.found_at
                        ELSE excluded.found_at END""")) {
            upsert.setString(1, host);
            upsert.setString(2, path.sourceRoot());
            upsert.setString(3, path.relPath());
            upsert.setString(4, path.assetId());
            upsert.setString(5, foundHash);
            upsert.setLong(6, path.sizeBytes());
            upsert.setLong(7, path.mtimeNs());
            upsert.setString(8, Timestamps.stored(at));
            upsert.executeUpdate();
        }
    }

    /** Forgets what the host found at the path: its bytes match the recorded content again. */
    void clearBitRot(Connection connection, String host, String sourceRoot, String relPath) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM bit_rot WHERE host = ? AND source_root = ? AND rel_path = ?")) {
            delete.setString(1, host);
            delete.setString(2, sourceRoot);
            delete.setString(3, relPath);
            delete.executeUpdate();
        }
    }

    /**
     * Drops the findings whose path on their host no longer records that content, size and mtime
     * (replaced, re-indexed, deleted), whichever host found them: such a finding is stale for everyone,
     * and on SQLite a path taken over under a new {@code host_name} leaves its old host's findings so.
     */
    int pruneBitRot(Connection connection) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM bit_rot WHERE NOT EXISTS (SELECT 1 FROM asset_paths p
                    WHERE p.source_root = bit_rot.source_root AND p.rel_path = bit_rot.rel_path
                    AND p.host = bit_rot.host AND p.deleted_at IS NULL AND p.asset_id = bit_rot.expected_hash
                    AND p.size_bytes = bit_rot.size_bytes AND p.mtime_ns = bit_rot.mtime_ns)""")) {
            return delete.executeUpdate();
        }
    }

    /** How many of the host's findings are current. */
    long countBitRot(Connection connection, String host) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) " + CURRENT_BIT_ROT)) {
            query.setString(1, host);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The host's current findings, newest first, at most {@code limit}; with a null host, every finding
     * of an index not yet upgraded to findings per host ({@link HostRowsMigration#applied}).
     */
    List<BitRot> bitRot(Connection connection, String host, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT b.source_root, b.rel_path, b.expected_hash,"
                + " b.found_hash, b.size_bytes, b.found_at " + (host == null ? CURRENT_BIT_ROT_BY_NAME : CURRENT_BIT_ROT)
                + " ORDER BY b.found_at DESC, b.source_root, b.rel_path LIMIT ?")) {
            int parameter = 1;
            if (host != null) {
                query.setString(parameter++, host);
            }
            query.setInt(parameter, limit);
            List<BitRot> found = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    found.add(new BitRot(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getLong(5), Timestamps.parse(rs.getString(6))));
                }
            }
            return found;
        }
    }
}
