package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** SQL for {@code process_log}, the audit trail of every attempt. */
final class ProcessLogRepository {
    private static final String COLUMNS =
            "id, file_path, content_hash, status, stage, error, detail, duration_ms, ran_at";
    /**
     * A row {@code p} of process_log that is a file's last attempt, and that attempt failed: what
     * "a failed file" means to requeue, the failures list and the API alike. Reads the status index
     * for the failures, then one probe of the file_path index each for whether a later attempt exists.
     */
    private static final String LAST_ATTEMPT_FAILED =
            "p.status = 'failed' AND p.id = (SELECT max(id) FROM process_log WHERE file_path = p.file_path)";

    void insert(Connection connection, LogEntry entry) throws SQLException {
        PreparedStatement insert = KeptStatements.prepare(connection, "INSERT INTO process_log (file_path, content_hash,"
                + " status, stage, error, detail, duration_ms, ran_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        insert.setString(1, entry.filePath());
        insert.setString(2, entry.contentHash());
        insert.setString(3, entry.status().id());
        insert.setString(4, entry.stage());
        insert.setString(5, entry.error());
        insert.setString(6, entry.detail());
        insert.setLong(7, entry.durationMs());
        insert.setString(8, Timestamps.stored(entry.ranAt()));
        insert.executeUpdate();
    }

    /** Deletes up to {@code limit} of the oldest rows that ran before {@code before}; returns how many. */
    int deleteOldest(Connection connection, Instant before, int limit) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM process_log WHERE id IN"
                + " (SELECT id FROM process_log WHERE ran_at < ? ORDER BY id LIMIT ?)")) {
            delete.setString(1, Timestamps.stored(before));
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }

    /** The paths whose latest attempt failed, in path order. */
    List<String> failedPaths(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT file_path FROM process_log p WHERE "
                + LAST_ATTEMPT_FAILED + " ORDER BY file_path")) {
            List<String> paths = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    paths.add(rs.getString(1));
                }
            }
            return paths;
        }
    }

    /** How many files' last attempt failed. */
    long countFailing(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM process_log p WHERE "
                + LAST_ATTEMPT_FAILED); ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** The files whose last attempt failed, newest failure first, with the asset of the same content if indexed. */
    List<FailingFile> failing(Connection connection, int limit, int offset) throws SQLException {
        String columns = "p." + COLUMNS.replace(", ", ", p.");
        try (PreparedStatement query = connection.prepareStatement("SELECT " + columns + ", a.id FROM process_log p"
                + " LEFT JOIN assets a ON a.id = p.content_hash WHERE " + LAST_ATTEMPT_FAILED
                + " ORDER BY p.ran_at DESC, p.id DESC LIMIT ? OFFSET ?")) {
            query.setInt(1, limit);
            query.setInt(2, offset);
            List<FailingFile> files = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    files.add(new FailingFile(entry(rs), rs.getString(10)));
                }
            }
            return files;
        }
    }

    /** Newest first, optionally only one status. */
    List<LogEntry> recent(Connection connection, ProcessStatus status, int limit, int offset) throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM process_log" + (status == null ? "" : " WHERE status = ?")
                + " ORDER BY id DESC LIMIT ? OFFSET ?";
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            int i = 1;
            if (status != null) {
                query.setString(i++, status.id());
            }
            query.setInt(i++, limit);
            query.setInt(i, offset);
            return entries(query);
        }
    }

    /** The newest attempts that touched this content or any of these paths. */
    List<LogEntry> forAsset(Connection connection, String contentHash, Collection<String> filePaths, int limit)
            throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM process_log WHERE content_hash = ?");
        if (!filePaths.isEmpty()) {
            sql.append(" OR file_path IN (").append("?, ".repeat(filePaths.size() - 1)).append("?)");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        try (PreparedStatement query = connection.prepareStatement(sql.toString())) {
            int i = 1;
            query.setString(i++, contentHash);
            for (String path : filePaths) {
                query.setString(i++, path);
            }
            query.setInt(i, limit);
            return entries(query);
        }
    }

    private static List<LogEntry> entries(PreparedStatement query) throws SQLException {
        List<LogEntry> entries = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                entries.add(entry(rs));
            }
        }
        return entries;
    }

    /** The entry in the first columns of the row, in the order of {@link #COLUMNS}. */
    private static LogEntry entry(ResultSet rs) throws SQLException {
        return new LogEntry(rs.getLong(1), rs.getString(2), rs.getString(3), ProcessStatus.fromId(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getLong(8), Timestamps.parse(rs.getString(9)));
    }
}
