package io.assetindex.store;

import io.assetindex.util.Combiner;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The writes of files indexed at the same time, committed together: one transaction holds the
 * writes of several files (group commit), each file's writes in a savepoint of their own.
 *
 * <p>Guarantees: a file's writes commit entirely or not at all, like a transaction of their own.
 * A file whose writes fail is rolled back to its savepoint and its caller gets the error; the other
 * files of the group commit. A caller returns once the transaction holding its writes has
 * committed, so whatever follows (a log line, a count) happens after they are in the index; a kill
 * before that loses the whole group and none of it in part. A write submitted after a quiet spell
 * is written at once (see {@link Combiner}): a file on its own never waits for others; while
 * files keep coming, a group waits up to {@link #LINGER} for more, up to {@value #MAX_UNITS} files
 * (fewer transactions, and fewer pages written to the WAL per file). Readers see a group all at
 * once (WAL), never a file in part.
 */
final class GroupCommit {
    static final int MAX_UNITS = 64;
    /**
     * How long a group waits for more files while files keep coming (see {@link Combiner}): groups
     * of a few files instead of one or two during a scan of small files, at a cost of at most 2 ms.
     */
    static final Duration LINGER = Duration.ofMillis(2);

    private final IndexDatabase database;
    private final Combiner<IndexDatabase.SqlWork<?>, Object> units;

    GroupCommit(IndexDatabase database) {
        this.database = database;
        this.units = new Combiner<>(this::writeAll, MAX_UNITS, 1, LINGER);
    }

    /**
     * Runs {@code unit} in the next group's transaction and returns what it returned once that
     * committed.
     *
     * @throws StoreException when the unit failed (it alone was rolled back) or the group could not commit
     */
    @SuppressWarnings("unchecked")
    <T> T write(IndexDatabase.SqlWork<T> unit) {
        for (int attempt = 0; ; attempt++) {
            try {
                return (T) units.submit(unit).get(SQLException.class);
            } catch (SQLException e) {
                if (attempt >= DEADLOCK_RETRIES || !lostToDeadlock(e)) {
                    throw database.writeFailed(e);
                }
            }
        }
    }


    /** How many files' writes wait for the next group. */
    int waiting() {
        return units.queued();
    }

    private List<Combiner.Outcome<Object>> writeAll(List<IndexDatabase.SqlWork<?>> group) {
        return database.writeSavepoints(connection -> {
            List<Combiner.Outcome<Object>> outcomes = new ArrayList<>(group.size());
            for (IndexDatabase.SqlWork<?> unit : group) {
                outcomes.add(inSavepoint(connection, unit));
            }
            return outcomes;
        });
    }

    /**
     * Runs one file's writes; on failure, undoes them alone. When they cannot be undone, the whole
     * group fails with the file's own failure, the rollback's added to it: when the server went away
     * mid-write (57P01), the pool has closed the connection by then, and "Connection is closed" alone
     * would not tell the watcher that the database is out of reach.
     */
    private static Combiner.Outcome<Object> inSavepoint(Connection connection, IndexDatabase.SqlWork<?> unit)
            throws SQLException {
        Savepoint savepoint = connection.setSavepoint();
        try {
            Object value = unit.run(connection);
            connection.releaseSavepoint(savepoint);
            return Combiner.Outcome.of(value);
        } catch (SQLException | RuntimeException e) {
            try {
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
            } catch (SQLException undoFailed) {
                e.addSuppressed(undoFailed);
                throw e;
            }
            return Combiner.Outcome.failed(e);
        }
    }

    /**
     * How often a file's writes that PostgreSQL chose as the victim of a deadlock (two watchers'
     * groups meeting on the same rows from both sides) are written again. Not in the same
     * transaction: its group still holds the locks of the files before it, which the other group
     * waits for; in the next group, once this one committed and let them go.
     */
    static final int DEADLOCK_RETRIES = 5;

    /** PostgreSQL's deadlock_detected, or a serialization failure: the same writes may succeed when run again. */
    private static boolean lostToDeadlock(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && ("40P01".equals(sql.getSQLState())
                    || "40001".equals(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
