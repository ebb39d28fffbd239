package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SQL for {@code index_changes}, the feed of what in-memory vector indexes must follow. */
final class ChangeRepository {

    /** Up to {@code limit} changes after {@code afterSeq}, in order. */
    List<IndexChange> after(Connection connection, long afterSeq, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT seq, asset_id, what FROM index_changes WHERE seq > ? ORDER BY seq LIMIT ?")) {
            query.setLong(1, afterSeq);
            query.setInt(2, limit);
            List<IndexChange> changes = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    changes.add(new IndexChange(rs.getLong(1), rs.getString(2), rs.getString(3)));
                }
            }
            return changes;
        }
    }

    /**
     * The last seq ever given (0 before the first change; rows trimmed since do not lower it) and
     * the oldest seq still in the feed (the next one to be given when the feed is empty).
     */
    long[] range(Connection connection) throws SQLException {
        String lastGiven = Dialect.of(connection) == Dialect.SQLITE
                ? "SELECT seq FROM sqlite_sequence WHERE name = 'index_changes'"
                // The identity's sequence; a value taken by a transaction that rolled back counts as given, as in SQLite.
                : "SELECT CASE WHEN is_called THEN last_value END FROM index_changes_seq_seq";
        try (PreparedStatement query = connection.prepareStatement("SELECT coalesce((" + lastGiven + "), 0),"
                + " (SELECT min(seq) FROM index_changes)");
                ResultSet rs = query.executeQuery()) {
            rs.next();
            long last = rs.getLong(1);
            long oldest = rs.getLong(2);
            return new long[] {last, rs.wasNull() ? last + 1 : oldest};
        }
    }

    /** Deletes up to {@code limit} of the oldest changes recorded before {@code before}; returns how many. */
    int trim(Connection connection, Instant before, int limit) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM index_changes WHERE seq IN"
                + " (SELECT seq FROM index_changes WHERE at < ? ORDER BY seq LIMIT ?)")) {
            delete.setString(1, Timestamps.stored(before));
            delete.setInt(2, limit);
            return delete.executeUpdate();
        }
    }
}
