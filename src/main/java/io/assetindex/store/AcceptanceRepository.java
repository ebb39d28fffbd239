package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** SQL for {@code integrity_accepted}: one row per content accepted as good. */
final class AcceptanceRepository {

    void put(Connection connection, Acceptance acceptance) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO integrity_accepted (content_hash, accepted_by, host, note, verdict, accepted_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (content_hash) DO UPDATE SET
                    accepted_by = excluded.accepted_by, host = excluded.host, note = excluded.note,
                    verdict = excluded.verdict, accepted_at = excluded.accepted_at""")) {
            upsert.setString(1, acceptance.contentHash());
            upsert.setString(2, acceptance.acceptedBy());
            upsert.setString(3, acceptance.host());
            upsert.setString(4, acceptance.note());
            upsert.setString(5, acceptance.verdict());
            upsert.setString(6, Timestamps.stored(acceptance.acceptedAt()));
            upsert.executeUpdate();
        }
    }

    boolean delete(Connection connection, String contentHash) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM integrity_accepted WHERE content_hash = ?")) {
            delete.setString(1, contentHash);
            return delete.executeUpdate() > 0;
        }
    }

    Optional<Acceptance> find(Connection connection, String contentHash) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT content_hash, accepted_by, host, note,"
                + " verdict, accepted_at FROM integrity_accepted WHERE content_hash = ?")) {
            query.setString(1, contentHash);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(new Acceptance(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), Timestamps.parse(rs.getString(6)))) : Optional.empty();
            }
        }
    }
}
