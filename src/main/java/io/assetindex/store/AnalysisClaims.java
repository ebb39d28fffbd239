package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * Claims on the analysis of a content, so that the same bytes arriving at once on several hosts
 * (or at two paths of one) are analysed once: on PostgreSQL a claim is a session-level advisory
 * lock keyed by the content hash, held on a pooled connection from before the analysis until the
 * asset is committed. Whoever finds the content claimed waits for the claim to end and then finds
 * the asset there (and only records its path), or, when the claimer failed or died (its session's
 * locks end with it), analyses it itself. On SQLite a claim is free: one process writes the file,
 * and two copies analysed at once by its workers stay one asset ({@link IndexStore#recordNewAsset}).
 *
 * <p>The key is the first 64 bits of the SHA-256: two contents sharing it only wait for each other.
 */
final class AnalysisClaims {
    /** How often a waiting claim asks again. */
    private static final Duration POLL = Duration.ofMillis(50);

    private final IndexDatabase database;

    AnalysisClaims(IndexDatabase database) {
        this.database = database;
    }

    IndexStore.AnalysisClaim claim(String contentHash) throws InterruptedException {
        if (database.dialect() != Dialect.POSTGRESQL) {
            return IndexStore.AnalysisClaim.FREE;
        }
        long key = Long.parseUnsignedLong(contentHash.substring(0, 16), 16);
        Connection connection;
        try {
            connection = database.borrow();
        } catch (SQLException e) {
            throw database.writeFailed(e);
        }
        boolean waited = false;
        try {
            while (!tryLock(connection, key)) {
                waited = true;
                Thread.sleep(POLL.toMillis());
            }
        } catch (SQLException e) {
            close(connection);
            throw database.writeFailed(e);
        } catch (InterruptedException | RuntimeException | Error e) {
            close(connection);
            throw e;
        }
        boolean waitedForOther = waited;
        return new IndexStore.AnalysisClaim() {
            @Override
            public boolean waited() {
                return waitedForOther;
            }

            @Override
            public void close() {
                try (PreparedStatement unlock = connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                    unlock.setLong(1, key);
                    unlock.execute();
                } catch (SQLException e) {
                    // a broken session has let its locks go
                } finally {
                    AnalysisClaims.close(connection);
                }
            }
        };
    }

    private static boolean tryLock(Connection connection, long key) throws SQLException {
        try (PreparedStatement take = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            take.setLong(1, key);
            try (ResultSet rs = take.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static void close(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            // returned to the pool or gone: nothing else to do
        }
    }
}
