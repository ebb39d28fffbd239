package io.assetindex.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;
import org.sqlite.SQLiteOpenMode;

/**
 * Whole-file operations on index databases: consistent copies and checks of a file that may
 * not be an index at all. Nothing here migrates or creates a database.
 *
 * <p>A copy is made with {@code VACUUM INTO}, which reads one snapshot of the database in a
 * read transaction: under WAL a running watcher keeps writing meanwhile, and the copy holds
 * exactly the transactions committed when it started, with the WAL folded in. A plain file
 * copy of {@code index.db} has no such guarantee (pages of the main file and the {@code -wal}
 * are read at different moments).
 */
public final class DatabaseFiles {

    /** What a database file holds, as far as the checks need. */
    public record Inspection(int schemaVersion, long assets, String integrity) {
        public boolean intact() {
            return "ok".equals(integrity);
        }
    }

    private DatabaseFiles() {}

    /** The schema version this program writes. */
    public static int latestSchemaVersion() {
        return Migrations.LATEST;
    }

    /**
     * Writes a consistent snapshot of the open database to {@code target}, which must not exist.
     */
    public static void copyTo(IndexDatabase database, Path target) {
        database.read(c -> {
            vacuumInto(c, target);
            return null;
        });
    }

    /** Like {@link #copyTo(IndexDatabase, Path)}, from a database file nobody needs to have open. */
    public static void copyFile(Path source, Path target) {
        try (Connection connection = openReadOnly(source)) {
            vacuumInto(connection, target);
        } catch (SQLException e) {
            throw new StoreException("cannot copy index database " + source + ": " + firstLine(e), e);
        }
    }

    private static void vacuumInto(Connection connection, Path target) throws SQLException {
        try (PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
            vacuum.setString(1, target.toString());
            vacuum.execute();
        }
    }

    /** What folding a database's write-ahead log into its main file came to. */
    public enum Fold {
        /** The main file holds every committed transaction, on disk; the log is empty or gone. */
        DONE,
        /** Another connection is reading or writing: the log could not be emptied. */
        BUSY,
        /** The file cannot be read as a database: its log was left as it is. */
        UNREADABLE
    }

    /**
     * Copies every transaction of {@code file}'s write-ahead log into the main file, syncs it to
     * the disk and truncates the log ({@code PRAGMA wal_checkpoint(TRUNCATE)}), so that the main
     * file alone is the whole database. For a database nobody else has open; a reader or writer
     * that holds on past the busy timeout makes it {@link Fold#BUSY}.
     */
    public static Fold foldWal(Path file) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(IndexDatabase.BUSY_TIMEOUT_MS);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.resetOpenMode(SQLiteOpenMode.CREATE); // never creates the file
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
            // (busy, frames in the log, frames copied); -1 frames: not in WAL mode, nothing to fold
            return rs.next() && rs.getInt(1) != 0 ? Fold.BUSY : Fold.DONE;
        } catch (SQLException e) {
            SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
            if (code == SQLiteErrorCode.SQLITE_BUSY || code == SQLiteErrorCode.SQLITE_LOCKED) {
                return Fold.BUSY;
            }
            return Fold.UNREADABLE;
        }
    }

    /**
     * Checks that {@code file} is an asset-index database this program can use, without changing
     * it.
     *
     * @param full {@code PRAGMA integrity_check} (reads every page and index) instead of {@code quick_check}
     * @throws StoreException when it is not an SQLite database, not an index, or newer than this program
     */
    public static Inspection inspect(Path file, boolean full) {
        try (Connection connection = openReadOnly(file)) {
            String integrity = firstRow(connection, full ? "PRAGMA integrity_check" : "PRAGMA quick_check");
            if (firstRow(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'"
                    + " AND name IN ('schema_migrations', 'assets', 'asset_paths')").equals("3")) {
                int version = Migrations.recordedVersion(connection);
                if (version > Migrations.LATEST) {
                    throw new StoreException(file + " has schema version " + version + ", newer than this asset-index"
                            + " understands (" + Migrations.LATEST + "); use a newer asset-index");
                }
                long assets = Long.parseLong(firstRow(connection, "SELECT count(*) FROM assets"));
                return new Inspection(version, assets, integrity);
            }
            throw new StoreException(file + " is an SQLite database but not an asset-index index (no schema_migrations,"
                    + " assets and asset_paths tables)");
        } catch (SQLException e) {
            SQLiteErrorCode code = e instanceof SQLiteException sqlite ? sqlite.getResultCode() : null;
            if (code == SQLiteErrorCode.SQLITE_NOTADB || code == SQLiteErrorCode.SQLITE_CORRUPT) {
                throw new StoreException(file + " is not an SQLite database or is corrupt (" + firstLine(e) + ")", e);
            }
            throw new StoreException("cannot read " + file + ": " + firstLine(e), e);
        }
    }

    /**
     * What {@code host}'s last whole walk of each of its watch paths left out because of extensions,
     * read without changing the file; every row of an index from before they were kept per host,
     * nothing from one older than the table.
     *
     * @throws StoreException when the file cannot be read as a database
     */
    public static List<CountedLeftOut> leftOut(Path file, String host) {
        try (Connection connection = openReadOnly(file)) {
            if (firstRow(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'left_out'")
                    .equals("0")) {
                return List.of();
            }
            return new LeftOutRepository().all(connection, ownRows(connection, host));
        } catch (SQLException e) {
            throw new StoreException("cannot read " + file + ": " + firstLine(e), e);
        }
    }

    /**
     * The files {@code host}'s re-verification found with bit rot (newest first, at most {@code limit}),
     * read-only; every finding of an index from before they were kept per host, none from one older
     * than the table.
     *
     * @throws StoreException when the file cannot be read as a database
     */
    public static List<BitRot> bitRot(Path file, String host, int limit) {
        try (Connection connection = openReadOnly(file)) {
            if (firstRow(connection, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'bit_rot'")
                    .equals("0")) {
                return List.of();
            }
            return new VerificationRepository().bitRot(connection, ownRows(connection, host), limit);
        } catch (SQLException e) {
            throw new StoreException("cannot read " + file + ": " + firstLine(e), e);
        }
    }

    /** The host whose rows to read, or null (all of them) in an index not yet upgraded to rows per host. */
    static String ownRows(Connection connection, String host) throws SQLException {
        return HostRowsMigration.applied(Migrations.recordedVersion(connection)) ? host : null;
    }

    private static Connection openReadOnly(Path file) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setReadOnly(true);
        config.setBusyTimeout(IndexDatabase.BUSY_TIMEOUT_MS);
        Properties properties = config.toProperties();
        return DriverManager.getConnection("jdbc:sqlite:" + file, properties);
    }

    private static String firstRow(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            return rs.next() ? String.valueOf(rs.getObject(1)) : "";
        }
    }

    private static String firstLine(SQLException e) {
        String message = e.getMessage();
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
    }
}
