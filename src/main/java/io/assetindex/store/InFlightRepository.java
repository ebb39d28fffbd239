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
 * SQL for {@code files_in_flight}, the marks of one host: whether a mark's process still runs can
 * only be told on the machine it ran on (see CrashRecovery).
 */
final class InFlightRepository {

    /** Marks a file as being analysed; a row left by a crash keeps its crash count and whether it runs alone. */
    void start(Connection connection, String host, InFlightFile file, Instant at) throws SQLException {
        PreparedStatement upsert = KeptStatements.prepare(connection, """
                INSERT INTO files_in_flight (source_root, rel_path, display_path, size_bytes, mtime_ns, content_hash,
                                             owner, alone, crashes, started_at, host)
                VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)
                ON CONFLICT (host, source_root, rel_path) DO UPDATE SET
                    display_path = excluded.display_path, size_bytes = excluded.size_bytes,
                    mtime_ns = excluded.mtime_ns, content_hash = excluded.content_hash, owner = excluded.owner,
                    started_at = excluded.started_at""");
        upsert.setString(1, file.sourceRoot());
        upsert.setString(2, file.relPath());
        upsert.setString(3, file.displayPath());
        upsert.setLong(4, file.sizeBytes());
        upsert.setLong(5, file.mtimeNs());
        upsert.setString(6, file.contentHash());
        upsert.setString(7, file.owner());
        upsert.setString(8, Timestamps.stored(at));
        upsert.setString(9, host);
        upsert.executeUpdate();
    }

    void finish(Connection connection, String host, String sourceRoot, String relPath) throws SQLException {
        PreparedStatement delete = KeptStatements.prepare(connection,
                "DELETE FROM files_in_flight WHERE host = ? AND source_root = ? AND rel_path = ?");
        delete.setString(1, host);
        delete.setString(2, sourceRoot);
        delete.setString(3, relPath);
        delete.executeUpdate();
    }

    List<InFlightFile> all(Connection connection, String host) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT source_root, rel_path, display_path,"
                + " size_bytes, mtime_ns, content_hash, owner, alone, crashes FROM files_in_flight WHERE host = ?"
                + " ORDER BY started_at, source_root, rel_path")) {
            query.setString(1, host);
            List<InFlightFile> files = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    files.add(new InFlightFile(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5), rs.getString(6), rs.getString(7), rs.getBoolean(8), rs.getInt(9)));
                }
            }
            return files;
        }
    }

    /**
     * Takes over a row left by a dead process: {@code owner} analyses it next, alone, with the
     * crash count given. False when another process took it first (two starting at once).
     */
    boolean claim(Connection connection, String host, InFlightFile left, String owner, int crashes)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE files_in_flight SET owner = ?,"
                + " alone = 1, crashes = ? WHERE host = ? AND source_root = ? AND rel_path = ? AND owner = ?")) {
            update.setString(1, owner);
            update.setInt(2, crashes);
            update.setString(3, host);
            update.setString(4, left.sourceRoot());
            update.setString(5, left.relPath());
            update.setString(6, left.owner());
            return update.executeUpdate() == 1;
        }
    }
}
