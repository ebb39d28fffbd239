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
 * SQL for {@code index_changes}, the feed of what in-memory vector indexes must follow.
 *
 * <p>Why a reader misses nothing with several writers: each change records the transaction that
 * wrote it ({@code xid}, PostgreSQL's 64-bit transaction id; 0 on SQLite), and readers take only
 * changes of transactions below the oldest one still running in their snapshot ({@code
 * pg_snapshot_xmin}). Those have all finished, so every one of them that committed is visible, and
 * any transaction that commits later has a larger id than that bound, so it sorts after everything
 * read so far in (xid, seq) order. Sequence numbers alone do not do: they are given before commit,
 * so with a transaction held open, one committing after it with larger numbers would be read first
 * and the open one's smaller numbers skipped. The price: a change becomes readable only when every
 * transaction older than its own has finished, so one long transaction (of any program on the server:
 * transaction ids are the server's) holds the position back by its length. Readers apply the
 * committed changes beyond it at once all the same ({@link ChangePage#ahead()}), so a search is not
 * delayed; they read them again when the position passes them.
 *
 * <p>Trimming deletes the oldest changes of finished transactions, a prefix in (xid, seq) order,
 * and records the last position it deleted ({@code index_changes_trimmed}); a reader behind that
 * position lost changes and loads everything again.
 */
final class ChangeRepository {
    /** Transactions with an id below this have finished: the oldest still running in the statement's snapshot. */
    private static final String POSTGRES_FINISHED_BELOW = "(pg_snapshot_xmin(pg_current_snapshot())::text)::bigint";

    /** Migration 17 on SQLite: the same tables as PostgreSQL's, where every transaction is 0. */
    static List<String> sqliteSchema() {
        return List.of(
                "ALTER TABLE index_changes ADD COLUMN xid INTEGER NOT NULL DEFAULT 0",
                "CREATE INDEX index_changes_by_xid ON index_changes (xid, seq)",
                "CREATE TABLE index_changes_trimmed (xid INTEGER NOT NULL, seq INTEGER NOT NULL)",
                // What was trimmed before: everything below the oldest change kept, or all that was given.
                """
                INSERT INTO index_changes_trimmed (xid, seq) SELECT 0, coalesce((SELECT min(seq) - 1 FROM index_changes),
                    (SELECT seq FROM sqlite_sequence WHERE name = 'index_changes'), 0)""");
    }

    /**
     * Migration 17 on PostgreSQL. The rows there are get the migration's own transaction, which has
     * finished before any reader of the new column runs; nothing was trimmed past them.
     */
    static List<String> postgresSchema() {
        return List.of(
                "ALTER TABLE index_changes ADD COLUMN xid bigint NOT NULL DEFAULT (pg_current_xact_id()::text)::bigint",
                "CREATE INDEX index_changes_by_xid ON index_changes (xid, seq)",
                "CREATE TABLE index_changes_trimmed (xid bigint NOT NULL, seq bigint NOT NULL)",
                "INSERT INTO index_changes_trimmed (xid, seq) VALUES (0, 0)");
    }

    private static String finishedBelow(Connection connection) throws SQLException {
        return Dialect.of(connection) == Dialect.POSTGRESQL ? POSTGRES_FINISHED_BELOW : "1";
    }

    /**
     * Up to {@code limit} changes after {@code after} in order, those of finished transactions
     * first; or word to start over. Run it in one snapshot ({@link IndexDatabase#readSnapshot}): the
     * trimmed position and the changes must agree.
     */
    ChangePage after(Connection connection, FeedPosition after, int limit) throws SQLException {
        FeedPosition trimmed = trimmed(connection);
        if (trimmed.isAfter(after) || after.isAfter(head(connection, trimmed))) {
            return ChangePage.START_OVER;
        }
        // Changes of finished transactions sort before all others: their ids are below the bound.
        try (PreparedStatement query = connection.prepareStatement("SELECT xid, seq, asset_id, what, xid < bound"
                + " FROM index_changes, (SELECT " + finishedBelow(connection) + " AS bound) snapshot"
                + " WHERE (xid, seq) > (?, ?) ORDER BY xid, seq LIMIT ?")) {
            query.setLong(1, after.xid());
            query.setLong(2, after.seq());
            query.setInt(3, limit);
            List<IndexChange> finished = new ArrayList<>();
            List<IndexChange> ahead = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    (rs.getBoolean(5) ? finished : ahead).add(new IndexChange(
                            new FeedPosition(rs.getLong(1), rs.getLong(2)), rs.getString(3), rs.getString(4)));
                }
            }
            return new ChangePage(finished, ahead, false);
        }
    }

    /**
     * Names an asset in the feed for a change no trigger sees (a result forgotten): the watcher's
     * next look at what changed analyzes it again.
     */
    void assetChanged(Connection connection, String assetId) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO index_changes (asset_id, what) VALUES (?, 'asset')")) {
            insert.setString(1, assetId);
            insert.executeUpdate();
        }
    }

    /**
     * The last change of a finished transaction (or the last trimmed): a reader that starts here
     * and loads the index afterwards misses nothing, since any change not yet readable sorts after it.
     */
    FeedPosition head(Connection connection) throws SQLException {
        return head(connection, trimmed(connection));
    }

    private FeedPosition head(Connection connection, FeedPosition trimmed) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT xid, seq FROM index_changes WHERE xid < "
                + finishedBelow(connection) + " ORDER BY xid DESC, seq DESC LIMIT 1");
                ResultSet rs = query.executeQuery()) {
            if (rs.next()) {
                FeedPosition last = new FeedPosition(rs.getLong(1), rs.getLong(2));
                return last.isAfter(trimmed) ? last : trimmed;
            }
            return trimmed;
        }
    }

    private static FeedPosition trimmed(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT xid, seq FROM index_changes_trimmed");
                ResultSet rs = query.executeQuery()) {
            return rs.next() ? new FeedPosition(rs.getLong(1), rs.getLong(2)) : FeedPosition.START;
        }
    }

    /** The feed as this connection's snapshot sees it (see {@link FeedStamp}). */
    FeedStamp stamp(Connection connection) throws SQLException {
        String sql = Dialect.of(connection) == Dialect.POSTGRESQL
                ? "SELECT bound, (SELECT count(*) FROM index_changes WHERE xid >= bound)"
                        + " FROM (SELECT " + POSTGRES_FINISHED_BELOW + " AS bound) snapshot"
                : "SELECT 0, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'index_changes'), 0)";
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rs = query.executeQuery()) {
            rs.next();
            return new FeedStamp(rs.getLong(1), rs.getLong(2));
        }
    }

    /**
     * Deletes up to about {@code limit} of the oldest changes of finished transactions, up to the
     * last of them recorded before {@code before}, and records how far; returns how many. Call it in
     * a write transaction.
     */
    int trim(Connection connection, Instant before, int limit) throws SQLException {
        FeedPosition last;
        try (PreparedStatement query = connection.prepareStatement("SELECT xid, seq FROM (SELECT xid, seq FROM"
                + " index_changes WHERE at < ? AND xid < " + finishedBelow(connection) + " ORDER BY xid, seq LIMIT ?)"
                + " oldest ORDER BY xid DESC, seq DESC LIMIT 1")) {
            query.setString(1, Timestamps.stored(before));
            query.setInt(2, limit);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return 0;
                }
                last = new FeedPosition(rs.getLong(1), rs.getLong(2));
            }
        }
        try (PreparedStatement mark = connection.prepareStatement(
                "UPDATE index_changes_trimmed SET xid = ?, seq = ? WHERE (xid, seq) < (?, ?)")) {
            for (int i = 0; i < 2; i++) {
                mark.setLong(2 * i + 1, last.xid());
                mark.setLong(2 * i + 2, last.seq());
            }
            mark.executeUpdate();
        }
        // Everything up to there has finished (its transaction is below the bound): a prefix of the feed.
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM index_changes WHERE (xid, seq) <= (?, ?)")) {
            delete.setLong(1, last.xid());
            delete.setLong(2, last.seq());
            return delete.executeUpdate();
        }
    }
}
