package io.assetindex.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Migration 18, "re-verification's findings, volumes and left-out counts belong to a host": what a
 * watcher finds on its own disks ({@code bit_rot}: files whose bytes changed behind their size and
 * mtime; {@code volumes}: the devices of its watch paths and the deletions it holds back;
 * {@code left_out}: what its last whole walk of a watch path left out) was kept per watch path name,
 * so two hosts whose watch paths have the same name overwrote each other's rows. Each row now has a
 * {@code host} in its key, like the per-file tables of {@link HostMigration}; the rows written before
 * are the upgrading machine's ({@link #fill}).
 *
 * <p>SQLite rebuilds the three tables (a primary key cannot be changed in place); their rows are few
 * (one per watch path or mount point, one per finding).
 */
final class HostRowsMigration {
    private HostRowsMigration() {}

    static final int VERSION = 18;
    static final String DESCRIPTION = "re-verification's findings, volumes and left-out counts belong to a host";

    private static final List<String> TABLES = List.of("bit_rot", "volumes", "left_out");

    static final List<String> SQLITE = List.of(
            """
            CREATE TABLE bit_rot_18 (
                source_root   TEXT NOT NULL,
                rel_path      TEXT NOT NULL,
                expected_hash TEXT NOT NULL,
                found_hash    TEXT NOT NULL,
                size_bytes    INTEGER NOT NULL,
                mtime_ns      INTEGER NOT NULL,
                found_at      TEXT NOT NULL,
                host          TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (host, source_root, rel_path)
            ) WITHOUT ROWID""",
            "INSERT INTO bit_rot_18 SELECT *, '' FROM bit_rot",
            "DROP TABLE bit_rot",
            "ALTER TABLE bit_rot_18 RENAME TO bit_rot",
            """
            CREATE TABLE volumes_18 (
                source_root TEXT NOT NULL,
                rel_prefix  TEXT NOT NULL,
                device      TEXT NOT NULL,
                files       INTEGER NOT NULL,
                seen_at     TEXT NOT NULL,
                held_since  TEXT,
                held_reason TEXT,
                host        TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (host, source_root, rel_prefix)
            ) WITHOUT ROWID""",
            "INSERT INTO volumes_18 SELECT *, '' FROM volumes",
            "DROP TABLE volumes",
            "ALTER TABLE volumes_18 RENAME TO volumes",
            """
            CREATE TABLE left_out_18 (
                source_root     TEXT NOT NULL,
                files           INTEGER NOT NULL,
                other_files     INTEGER NOT NULL,
                extensions_json TEXT NOT NULL,
                counted_at      TEXT NOT NULL,
                host            TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (host, source_root)
            ) WITHOUT ROWID""",
            "INSERT INTO left_out_18 SELECT *, '' FROM left_out",
            "DROP TABLE left_out",
            "ALTER TABLE left_out_18 RENAME TO left_out");

    static final List<String> POSTGRESQL = List.of(
            "ALTER TABLE bit_rot ADD COLUMN host text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE bit_rot DROP CONSTRAINT bit_rot_pkey",
            "ALTER TABLE bit_rot ADD PRIMARY KEY (host, source_root, rel_path)",
            "ALTER TABLE volumes ADD COLUMN host text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE volumes DROP CONSTRAINT volumes_pkey",
            "ALTER TABLE volumes ADD PRIMARY KEY (host, source_root, rel_prefix)",
            "ALTER TABLE left_out ADD COLUMN host text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE left_out DROP CONSTRAINT left_out_pkey",
            "ALTER TABLE left_out ADD PRIMARY KEY (host, source_root)");

    /** The rows written before the upgrade are the upgrading machine's. */
    static void fill(Connection connection, Migrations.Progress progress, String host) throws SQLException {
        HostMigration.giveRowsTo(connection, TABLES, host);
    }

    /**
     * Whether an index at schema {@code version} keeps these rows per host. Reads of an older index
     * (doctor reads one without upgrading it) take every row: they were all written per watch path
     * name, and the upgrade gives them all to the machine that runs it.
     */
    static boolean applied(int version) {
        return version >= VERSION;
    }
}
