package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** SQL for {@code failed_files}: the files whose last attempt failed, as they were then, on the host that has them. */
final class FailureRepository {
    /** The first pause before a transient failure is tried again; it doubles with each failure in a row. */
    static final Duration FIRST_RETRY = Duration.ofMinutes(10);
    static final Duration LAST_RETRY = Duration.ofDays(1);
    private static final String COLUMNS =
            "rel_path, size_bytes, mtime_ns, stage, error, pipeline, retry_after, failures";

    void record(Connection connection, String host, FileFailure failure, Instant at) throws SQLException {
        int before = find(connection, host, failure.sourceRoot(), failure.relPath()).map(KnownFailure::failures)
                .orElse(0);
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO failed_files (source_root, rel_path, size_bytes, mtime_ns, content_hash, stage, error,
                                          pipeline, retry_after, failures, first_failed_at, last_failed_at, host)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (host, source_root, rel_path) DO UPDATE SET
                    size_bytes = excluded.size_bytes, mtime_ns = excluded.mtime_ns,
                    content_hash = excluded.content_hash, stage = excluded.stage, error = excluded.error,
                    pipeline = excluded.pipeline, retry_after = excluded.retry_after, failures = excluded.failures,
                    last_failed_at = excluded.last_failed_at""")) {
            String when = Timestamps.stored(at);
            upsert.setString(1, failure.sourceRoot());
            upsert.setString(2, failure.relPath());
            upsert.setLong(3, failure.sizeBytes());
            upsert.setLong(4, failure.mtimeNs());
            upsert.setString(5, failure.contentHash());
            upsert.setString(6, failure.stage());
            upsert.setString(7, failure.error());
            upsert.setString(8, failure.pipeline());
            upsert.setString(9, failure.transientFailure() ? Timestamps.stored(at.plus(pause(before + 1))) : null);
            upsert.setInt(10, before + 1);
            upsert.setString(11, when);
            upsert.setString(12, when);
            upsert.setString(13, host);
            upsert.executeUpdate();
        }
    }

    /** 10 minutes after the first failure, doubling up to a day. */
    static Duration pause(int failures) {
        Duration pause = FIRST_RETRY;
        for (int i = 1; i < failures && pause.compareTo(LAST_RETRY) < 0; i++) {
            pause = pause.multipliedBy(2);
        }
        return pause.compareTo(LAST_RETRY) > 0 ? LAST_RETRY : pause;
    }

    Optional<KnownFailure> find(Connection connection, String host, String sourceRoot, String relPath)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM failed_files WHERE host = ? AND source_root = ? AND rel_path = ?")) {
            query.setString(1, host);
            query.setString(2, sourceRoot);
            query.setString(3, relPath);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(known(rs)) : Optional.empty();
            }
        }
    }

    /** The failures under a folder of a root ("" for the whole root, else ending in "/"), by relative path. */
    Map<String, KnownFailure> under(Connection connection, String host, String sourceRoot, String prefix)
            throws SQLException {
        String sql = "SELECT " + COLUMNS + " FROM failed_files WHERE host = ? AND source_root = ?"
                + (prefix.isEmpty() ? "" : " AND rel_path >= ? AND rel_path < ?");
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, host);
            query.setString(2, sourceRoot);
            if (!prefix.isEmpty()) {
                query.setString(3, prefix);
                query.setString(4, Sql.upperBound(prefix));
            }
            Map<String, KnownFailure> failures = new HashMap<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    KnownFailure failure = known(rs);
                    failures.put(failure.relPath(), failure);
                }
            }
            return failures;
        }
    }

    /** Forgets the failures of these paths (indexed now, or gone). */
    void forget(Connection connection, String host, String sourceRoot, Collection<String> relPaths)
            throws SQLException {
        PreparedStatement delete = KeptStatements.prepare(connection,
                "DELETE FROM failed_files WHERE host = ? AND source_root = ? AND rel_path = ?");
        for (String relPath : relPaths) {
            delete.setString(1, host);
            delete.setString(2, sourceRoot);
            delete.setString(3, relPath);
            delete.addBatch();
        }
        delete.executeBatch();
    }

    /** Forgets the failure of a path, or of every path below the folder at it (deleted). */
    void forgetUnder(Connection connection, String host, String sourceRoot, String relPath) throws SQLException {
        String folder = relPath + "/";
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM failed_files WHERE host = ?"
                + " AND source_root = ? AND (rel_path = ? OR (rel_path >= ? AND rel_path < ?))")) {
            delete.setString(1, host);
            delete.setString(2, sourceRoot);
            delete.setString(3, relPath);
            delete.setString(4, folder);
            delete.setString(5, Sql.upperBound(folder));
            delete.executeUpdate();
        }
    }

    long count(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM failed_files");
                ResultSet rs = query.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static KnownFailure known(ResultSet rs) throws SQLException {
        String retryAfter = rs.getString(7);
        return new KnownFailure(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
                rs.getString(6), retryAfter == null ? null : Timestamps.parse(retryAfter), rs.getInt(8));
    }
}
