package io.assetindex.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import io.assetindex.util.ProcessOwner;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * The index database behind a small connection pool: one SQLite file (the default), or a
 * PostgreSQL database ({@link IndexTarget.Postgres}, see {@link PostgresConnections}).
 *
 * <p>SQLite: every connection is opened with WAL, synchronous=NORMAL, foreign_keys=ON and
 * busy_timeout=5000. Writes from this process are serialized by one lock and run in
 * {@code BEGIN IMMEDIATE} transactions, so they never fail with SQLITE_BUSY against each
 * other; readers run concurrently with them (WAL). A write either commits entirely or
 * leaves the previous state: a crash mid-write loses at most that transaction, and work that
 * fails in any way, an {@link Error} included, is rolled back (see {@link FailedTransaction}).
 *
 * <p>PostgreSQL: the same guarantees, from the server. Writes from this process are serialized by
 * the same lock and run at READ COMMITTED; a {@link #readSnapshot} is a REPEATABLE READ transaction.
 */
public final class IndexDatabase implements AutoCloseable {
    static final int BUSY_TIMEOUT_MS = 5000;

    /** Work against a connection. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private final IndexTarget target;
    private final HikariDataSource pool;
    private final IndexUseLock use;
    private final String host;
    private final ReentrantLock writeLock = new ReentrantLock();

    private IndexDatabase(IndexTarget target, HikariDataSource pool, IndexUseLock use, String host) {
        this.target = target;
        this.pool = pool;
        this.use = use;
        this.host = host;
    }

    /**
     * Opens the index at {@code target} as the machine named {@code host} (config {@code host_name}):
     * the paths this program records and reads as its own are that host's.
     */
    public static IndexDatabase open(IndexTarget target, int maxConnections, Clock clock, String host) {
        if (target instanceof IndexTarget.SqliteFile sqlite) {
            return open(sqlite.file(), maxConnections, clock, host);
        }
        IndexTarget.Postgres postgres = (IndexTarget.Postgres) target;
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(new PostgresConnections(postgres), maxConnections));
        } catch (HikariPool.PoolInitializationException e) {
            throw PostgresConnections.explain(postgres, e.getCause() instanceof SQLException sql ? sql
                    : new SQLException(e.getMessage(), e));
        }
        return migrated(new IndexDatabase(postgres, pool, null, host), clock);
    }

    /**
     * Opens (creating its schema if needed) and migrates the index at {@code target}.
     *
     * @param maxConnections pool size; one writer at a time, the rest read
     * @throws StoreException when the database cannot be used, with what to do about it
     */
    public static IndexDatabase open(IndexTarget target, int maxConnections, Clock clock) {
        return open(target, maxConnections, clock, ProcessOwner.host());
    }

    /**
     * Opens (creating if needed) and migrates the database.
     *
     * @param maxConnections pool size; one writer at a time, the rest read
     * @throws StoreException when the file cannot be used, with what to do about it
     */
    public static IndexDatabase open(Path file, int maxConnections, Clock clock) {
        return open(file, maxConnections, clock, ProcessOwner.host());
    }

    private static IndexDatabase open(Path file, int maxConnections, Clock clock, String host) {
        Path absolute = file.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute.getParent());
        } catch (IOException e) {
            throw new StoreException("cannot create folder " + absolute.getParent() + " for the index database: "
                    + e + "; check that the workspace is writable");
        }
        IndexUseLock use = IndexUseLock.shared(absolute);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(poolConfig(absolute, maxConnections));
        } catch (HikariPool.PoolInitializationException e) {
            use.close();
            throw explain(absolute, e.getCause() instanceof SQLException sql ? sql : new SQLException(e));
        } catch (RuntimeException e) {
            use.close();
            throw e;
        }
        return migrated(new IndexDatabase(new IndexTarget.SqliteFile(absolute), pool, use, host), clock);
    }

    private static IndexDatabase migrated(IndexDatabase database, Clock clock) {
        try (Connection connection = database.pool.getConnection()) {
            Migrations.apply(connection, database.describe(), clock, database.dialect(), database.host);
        } catch (SQLException e) {
            database.close();
            throw database.target instanceof IndexTarget.Postgres postgres ? PostgresConnections.explain(postgres, e)
                    : explain(((IndexTarget.SqliteFile) database.target).file(), e);
        } catch (RuntimeException | Error e) {
            database.close(); // also discards a migration that could not be rolled back
            throw e;
        }
        return database;
    }

    private static HikariConfig poolConfig(javax.sql.DataSource dataSource, int maxConnections) {
        HikariConfig config = new HikariConfig();
        config.setDataSource(dataSource);
        config.setPoolName("index-db");
        config.setMaximumPoolSize(Math.max(2, maxConnections));
        config.setMinimumIdle(1);
        config.setConnectionTimeout(BUSY_TIMEOUT_MS * 2L);
        // Fail here, with the database's error, rather than on first use.
        config.setInitializationFailTimeout(1);
        return config;
    }

    private static HikariConfig poolConfig(Path file, int maxConnections) {
        SQLiteConfig sqlite = new SQLiteConfig();
        sqlite.setJournalMode(SQLiteConfig.JournalMode.WAL);
        sqlite.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        sqlite.enforceForeignKeys(true);
        sqlite.setBusyTimeout(BUSY_TIMEOUT_MS);
        sqlite.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new WithSearchWords(sqlite, file);
        dataSource.setUrl("jdbc:sqlite:" + file);
        return poolConfig(dataSource, maxConnections);
    }

    /**
     * Connections that know the functions the keyword index's triggers call ({@link SearchWords})
     * and keep the statements of every file's writes prepared ({@link KeptStatements}).
     */
    private static final class WithSearchWords extends SQLiteDataSource {
        private static final long serialVersionUID = 1L;
        private final String file;

        WithSearchWords(SQLiteConfig config, Path file) {
            super(config);
            this.file = file.toString();
        }

        @Override
        public org.sqlite.SQLiteConnection getConnection(String user, String password) throws SQLException {
            org.sqlite.SQLiteConnection connection = new KeptStatements(getUrl(), file, getConfig().toProperties());
            try {
                SearchWords.register(connection);
            } catch (SQLException e) {
                connection.close();
                throw e;
            }
            return connection;
        }
    }

    /** Turns an SQLite failure at open time into one line with the cause and what to do. */
    static StoreException explain(Path file, SQLException e) {
        SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
        String what;
        if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT) {
            what = "is not an SQLite database or is corrupt; move it away and the next run rebuilds the index";
        } else if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
            what = "is locked by another program (waited " + BUSY_TIMEOUT_MS / 1000 + " s); close it and try again";
        } else if (code == SQLiteErrorCode.SQLITE_READONLY || code == SQLiteErrorCode.SQLITE_CANTOPEN
                || code == SQLiteErrorCode.SQLITE_PERM) {
            what = "cannot be opened for writing; check the permissions of the file and its folder";
        } else {
            what = "cannot be used: " + firstLine(e.getMessage());
        }
        return new StoreException("index database " + file + " " + what, e);
    }

    private static String firstLine(String message) {
        return PostgresConnections.firstLine(message);
    }

    /** The machine this program records paths as (config {@code host_name}). */
    public String host() {
        return host;
    }

    /**
     * A connection of its own, outside the pool, for a session that must outlive any transaction (a
     * watcher's ownership locks on PostgreSQL); the caller closes it.
     */
    Connection dedicatedConnection() throws SQLException {
        if (target instanceof IndexTarget.Postgres postgres) {
            return new PostgresConnections(postgres).getConnection();
        }
        throw new IllegalStateException("dedicated connections are PostgreSQL's");
    }

    /** Where the index lives. */
    public IndexTarget target() {
        return target;
    }

    public Dialect dialect() {
        return target.dialect();
    }

    /**
     * Asks the database a trivial question through the pool: a connection that works, or a new
     * one where the server dropped the old (the pool checks a connection it lends after it was idle).
     *
     * @throws StoreException when it cannot answer ({@link StoreException#databaseUnreachable} tells why)
     */
    public void ping() {
        read(connection -> {
            try (java.sql.Statement statement = connection.createStatement()) {
                return statement.execute("SELECT 1");
            }
        });
    }

    /** How messages name the database: its file, or its postgresql:// URL (never with a password). */
    public String describe() {
        return target.describe();
    }

    /**
     * The SQLite file.
     *
     * @throws StoreException on PostgreSQL, which has none (for the commands that work on the file itself)
     */
    public Path file() {
        if (target instanceof IndexTarget.SqliteFile sqlite) {
            return sqlite.file();
        }
        throw new StoreException("the index is in PostgreSQL (" + describe() + "), not in a file: this works on an"
                + " SQLite index only");
    }

    /** Runs {@code work} in one write transaction: all of it commits, or none of it. */
    public <T> T write(SqlWork<T> work) {
        return transaction(work, true, false);
    }

    /**
     * {@link #write}, for work that is many small savepoints (a group of files' writes, see
     * {@link GroupCommit}). To undo a savepoint, SQLite copies each page it changes before changing
     * it; past 64 KiB in a transaction that copy goes to a temp file, page by page (three fifths of
     * the bytes a scan of small files wrote, each write a system call). Here it stays in memory
     * ({@code temp_store = MEMORY} for this transaction alone): at most the pages one savepoint
     * changes, since the copy is emptied as each savepoint ends. Any other transaction keeps its
     * copies, temp tables and sorts in files (their size is not bounded).
     */
    <T> T writeSavepoints(SqlWork<T> work) {
        return transaction(work, true, target instanceof IndexTarget.SqliteFile);
    }

    /**
     * Runs {@code work} in a write transaction that is always rolled back: what it would change
     * and return, with nothing changed (a dry run).
     */
    public <T> T rehearse(SqlWork<T> work) {
        return transaction(work, false, false);
    }

    private <T> T transaction(SqlWork<T> work, boolean commit, boolean undoInMemory) {
        writeLock.lock();
        try (Connection connection = pool.getConnection()) {
            if (!undoInMemory) {
                return transaction(connection, work, commit);
            }
            try {
                tempStore(connection, "MEMORY"); // SQLite reads it as the write transaction begins
                return transaction(connection, work, commit);
            } finally {
                if (!connection.isClosed()) {
                    try {
                        tempStore(connection, "DEFAULT");
                    } catch (SQLException e) {
                        pool.evictConnection(connection); // never lent again with it
                    }
                }
            }
        } catch (SQLException e) {
            throw writeFailed(e);
        } finally {
            writeLock.unlock();
        }
    }

    private <T> T transaction(Connection connection, SqlWork<T> work, boolean commit) throws SQLException {
        connection.setAutoCommit(false);
        T result;
        try {
            result = work.run(connection);
            if (commit) {
                connection.commit();
            } else {
                connection.rollback();
            }
        } catch (Throwable e) {
            if (!FailedTransaction.rollBack(connection, e)) {
                discard(connection, e);
            }
            throw e;
        }
        connection.setAutoCommit(true);
        return result;
    }

    private static void tempStore(Connection connection, String where) throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA temp_store = " + where);
        }
    }

    /** The failure of a write, as callers get it. */
    StoreException writeFailed(SQLException e) {
        return new StoreException("write to index database " + describe() + " failed: " + firstLine(e.getMessage()), e);
    }

    /**
     * Takes a connection whose transaction could not be rolled back out of the pool and closes it,
     * so SQLite discards the transaction: back in the pool, restoring its auto-commit would commit it.
     */
    private void discard(Connection connection, Throwable cause) {
        try {
            pool.evictConnection(connection);
            connection.unwrap(Connection.class).close();
        } catch (Throwable e) {
            cause.addSuppressed(e);
        }
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode (each statement sees committed data). */
    public <T> T read(SqlWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw new StoreException("read from index database " + describe() + " failed: " + firstLine(e.getMessage()), e);
        }
    }

    /**
     * Runs {@code work} in one read transaction: every statement sees the same snapshot of the
     * index (a count and the page it goes with agree), and under WAL a writer goes on meanwhile.
     */
    @SuppressWarnings("try") // the resource is the transaction's end, not used in the body
    public <T> T readSnapshot(SqlWork<T> work) {
        // The transaction ends as a resource does: when the work failed, that failure is what the
        // caller gets, a failure to end added to it. When a PostgreSQL server goes away mid-read
        // (57P01), the pool has closed the connection by then, and "Connection is closed" in its
        // place would not tell the service that the database is out of reach.
        if (dialect() == Dialect.POSTGRESQL) {
            return read(connection -> {
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Ending ended = () -> {
                    connection.rollback(); // read only: nothing to keep
                    connection.setAutoCommit(true);
                    connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                }) {
                    return work.run(connection);
                }
            });
        }
        return read(connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute("BEGIN DEFERRED"); // a plain read transaction: takes no write lock
            }
            try (Ending ended = () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("COMMIT");
                }
            }) {
                return work.run(connection);
            }
        });
    }

    /** The end of a transaction, as a resource. */
    @FunctionalInterface
    private interface Ending extends AutoCloseable {
        @Override
        void close() throws SQLException;
    }

    /** How much space the index takes: its file's size, or the PostgreSQL database's; empty when unknown. */
    public java.util.OptionalLong sizeBytes() {
        if (target instanceof IndexTarget.SqliteFile sqlite) {
            try {
                return java.util.OptionalLong.of(Files.size(sqlite.file()));
            } catch (IOException e) {
                return java.util.OptionalLong.empty();
            }
        }
        return read(c -> {
            try (Statement statement = c.createStatement();
                    java.sql.ResultSet rs = statement.executeQuery("SELECT pg_database_size(current_database())")) {
                return rs.next() ? java.util.OptionalLong.of(rs.getLong(1)) : java.util.OptionalLong.empty();
            }
        });
    }

    public int schemaVersion() {
        return read(Migrations::currentVersion);
    }

    @Override
    public void close() {
        try {
            pool.close();
        } finally {
            if (use != null) {
                use.close();
            }
        }
    }
}
