package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * What {@code doctor} reads of an index in PostgreSQL, as {@link DatabaseFiles} reads an SQLite
 * file: one connection, reads only, no schema created or upgraded. The server checks its own
 * pages, so there is no quick_check to run: a database that answers is intact.
 */
public final class PostgresInspection {
    private PostgresInspection() {}

    /**
     * The schema version and asset count, or empty when the database has no index yet.
     *
     * @throws StoreException when the server cannot be reached or the index is newer than this program
     */
    public static Optional<DatabaseFiles.Inspection> inspect(IndexTarget.Postgres target) {
        return read(target, connection -> {
            if (!hasTable(connection, "schema_migrations")) {
                return Optional.empty();
            }
            int version = Migrations.recordedVersion(connection);
            int latest = Dialect.POSTGRESQL.latestVersion();
            if (version > latest) {
                throw new StoreException(target.describe() + " has schema version " + version + ", newer than this"
                        + " asset-index understands (" + latest + "); use a newer asset-index");
            }
            long assets = 0;
            if (hasTable(connection, "assets")) {
                try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM assets");
                        ResultSet rs = query.executeQuery()) {
                    assets = rs.next() ? rs.getLong(1) : 0;
                }
            }
            return Optional.of(new DatabaseFiles.Inspection(version, assets, "ok"));
        });
    }

    /**
     * What {@code host}'s last whole walk of each of its watch paths left out (every row of an index
     * from before they were kept per host, nothing before the index exists).
     */
    public static List<CountedLeftOut> leftOut(IndexTarget.Postgres target, String host) {
        return read(target, connection -> hasTable(connection, "left_out")
                ? new LeftOutRepository().all(connection, DatabaseFiles.ownRows(connection, host)) : List.of());
    }

    /**
     * Up to {@code limit} files {@code host} found with bit rot (every finding of an index from before
     * they were kept per host, nothing before the index exists).
     */
    public static List<BitRot> bitRot(IndexTarget.Postgres target, String host, int limit) {
        return read(target, connection -> hasTable(connection, "bit_rot")
                ? new VerificationRepository().bitRot(connection, DatabaseFiles.ownRows(connection, host), limit)
                : List.of());
    }

    private static boolean hasTable(Connection connection, String table) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            query.setString(1, table);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static <T> T read(IndexTarget.Postgres target, IndexDatabase.SqlWork<T> work) {
        try (Connection connection = new PostgresConnections(target).getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw PostgresConnections.explain(target, e);
        }
    }
}
