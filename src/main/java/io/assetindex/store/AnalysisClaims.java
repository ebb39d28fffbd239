package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Claims on the analysis of a content, so that the same bytes arriving at once on several hosts
 * (or at two paths of one) are analysed once. Whoever finds the content claimed waits for the
 * claim to end and then finds the asset there (and only records its path), or, when the claimer
 * failed or died, analyses it itself.
 *
 * <p>Within a process a claim is an entry in a map that the others wait on. On PostgreSQL it is
 * also a session-level advisory lock keyed by the first 64 bits of the content's SHA-256 (two
 * contents sharing a key only wait for each other), held on one connection of this process's own,
 * outside the pool (a watcher has dozens of files in flight; a pooled connection each would
 * starve the pool), from before the analysis until the asset is committed. The session's locks
 * end with the process, so a claimer that dies never keeps others waiting; if the session itself is
 * lost (the server restarted), the claims it held are void and another host may analyse the same
 * content meanwhile, which costs time, never correctness ({@link IndexStore#recordNewAsset} keeps
 * one asset). On SQLite a claim is only the in-process one: one process writes the file.
 */
final class AnalysisClaims implements AutoCloseable {
    /** How often a claim held on another host is asked for again. */
    private static final Duration POLL = Duration.ofMillis(50);

    private final IndexDatabase database;
    private final ConcurrentHashMap<String, CountDownLatch> local = new ConcurrentHashMap<>();
    private Connection session;

    AnalysisClaims(IndexDatabase database) {
        this.database = database;
    }

    IndexStore.AnalysisClaim claim(String contentHash) throws InterruptedException {
        boolean waited = false;
        CountDownLatch mine = new CountDownLatch(1);
        for (CountDownLatch other; (other = local.putIfAbsent(contentHash, mine)) != null; ) {
            waited = true;
            other.await();
        }
        try {
            if (database.dialect() == Dialect.POSTGRESQL) {
                long key = Long.parseUnsignedLong(contentHash.substring(0, 16), 16);
                while (!lock(key, true)) {
                    waited = true;
                    Thread.sleep(POLL.toMillis());
                }
            }
        } catch (InterruptedException | RuntimeException | Error e) {
            release(contentHash, mine, false);
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
                release(contentHash, mine, database.dialect() == Dialect.POSTGRESQL);
            }
        };
    }

    private void release(String contentHash, CountDownLatch mine, boolean unlock) {
        try {
            if (unlock) {
                lock(Long.parseUnsignedLong(contentHash.substring(0, 16), 16), false);
            }
        } catch (RuntimeException e) {
            // a lost session has let its locks go
        } finally {
            local.remove(contentHash, mine);
            mine.countDown();
        }
    }

    /**
     * Takes ({@code take}: tries to take) or lets go of the lock {@code key} on this process's session.
     * A session that the server dropped while it sat idle (a restart: its locks went with it) is
     * replaced once and the statement run again, so a server that is back is not taken for one
     * that is still away.
     */
    private synchronized boolean lock(long key, boolean take) {
        boolean fresh = session == null;
        try {
            return lockOnSession(key, take);
        } catch (SQLException e) {
            close(); // its locks are gone with it; the next claim opens another
            if (fresh || !take) {
                throw database.writeFailed(e);
            }
            try {
                return lockOnSession(key, true);
            } catch (SQLException again) {
                close();
                again.addSuppressed(e);
                throw database.writeFailed(again);
            }
        }
    }

    private boolean lockOnSession(long key, boolean take) throws SQLException {
        if (session == null) {
            session = database.dedicatedConnection();
        }
        try (PreparedStatement statement = session.prepareStatement(
                take ? "SELECT pg_try_advisory_lock(?)" : "SELECT pg_advisory_unlock(?)")) {
            statement.setLong(1, key);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public synchronized void close() {
        if (session != null) {
            try {
                session.close();
            } catch (SQLException e) {
                // gone either way, and its locks with it
            }
            session = null;
        }
    }
}
