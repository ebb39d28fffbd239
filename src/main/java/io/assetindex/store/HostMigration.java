package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * Migration 16, "paths record their host; the watchers table": several machines feed one
 * PostgreSQL index, so what is kept per file on disk ({@code asset_paths}, {@code failed_files},
 * {@code files_in_flight}) is kept per host, and {@code watchers} holds a row per running (or last
 * run) watcher. Rows written before it were written by the one machine that used the index, the
 * one running the upgrade: they take its host ({@link #fill}).
 *
 * <p>On PostgreSQL a path is unique per (host, source_root, rel_path). SQLite keeps its table's
 * {@code UNIQUE (source_root, rel_path)} (a table's constraint cannot be dropped without rebuilding
 * it and the triggers on it), which is the same thing there: an SQLite file has one host (the
 * workspace lock lets one watcher at a time use it), and a path written under another
 * {@code host_name} takes the row over ({@link PathRepository#upsert}).
 */
final class HostMigration {
    private HostMigration() {}

    static final int VERSION = 16;
    static final String DESCRIPTION = "paths, failed files and files in flight record their host; the watchers table";

    /** Per-file tables whose rows belong to the machine that has the file. */
    private static final List<String> PER_HOST = List.of("asset_paths", "failed_files", "files_in_flight");

    static final List<String> SQLITE = List.of(
            "ALTER TABLE asset_paths ADD COLUMN host TEXT NOT NULL DEFAULT ''",
            """
            CREATE TABLE failed_files_16 (
                source_root     TEXT NOT NULL,
                rel_path        TEXT NOT NULL,
                size_bytes      INTEGER NOT NULL,
                mtime_ns        INTEGER NOT NULL,
                content_hash    TEXT,
                stage           TEXT NOT NULL,
                error           TEXT NOT NULL,
                pipeline        TEXT NOT NULL,
                retry_after     TEXT,
                failures        INTEGER NOT NULL,
                first_failed_at TEXT NOT NULL,
                last_failed_at  TEXT NOT NULL,
                host            TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (host, source_root, rel_path)
            ) WITHOUT ROWID""",
            "INSERT INTO failed_files_16 SELECT *, '' FROM failed_files",
            "DROP TABLE failed_files",
            "ALTER TABLE failed_files_16 RENAME TO failed_files",
            """
            CREATE TABLE files_in_flight_16 (
                source_root  TEXT NOT NULL,
                rel_path     TEXT NOT NULL,
                display_path TEXT NOT NULL,
                size_bytes   INTEGER NOT NULL,
                mtime_ns     INTEGER NOT NULL,
                content_hash TEXT NOT NULL,
                owner        TEXT NOT NULL,
                alone        INTEGER NOT NULL,
                crashes      INTEGER NOT NULL,
                started_at   TEXT NOT NULL,
                host         TEXT NOT NULL DEFAULT '',
                PRIMARY KEY (host, source_root, rel_path)
            ) WITHOUT ROWID""",
            "INSERT INTO files_in_flight_16 SELECT *, '' FROM files_in_flight",
            "DROP TABLE files_in_flight",
            "ALTER TABLE files_in_flight_16 RENAME TO files_in_flight",
            watchers("TEXT", "INTEGER") + " WITHOUT ROWID");

    static final List<String> POSTGRESQL = List.of(
            "ALTER TABLE asset_paths ADD COLUMN host text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE asset_paths DROP CONSTRAINT asset_paths_source_root_rel_path_key",
            "ALTER TABLE asset_paths ADD CONSTRAINT asset_paths_host_path UNIQUE (host, source_root, rel_path)",
            "ALTER TABLE failed_files ADD COLUMN host text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE failed_files DROP CONSTRAINT failed_files_pkey",
            "ALTER TABLE failed_files ADD PRIMARY KEY (host, source_root, rel_path)",
            "ALTER TABLE files_in_flight ADD COLUMN host text COLLATE \"C\" NOT NULL DEFAULT ''",
            "ALTER TABLE files_in_flight DROP CONSTRAINT files_in_flight_pkey",
            "ALTER TABLE files_in_flight ADD PRIMARY KEY (host, source_root, rel_path)",
            watchers("text COLLATE \"C\"", "bigint"));

    /**
     * One row per watcher: its host and workspace are its key, written as it starts, its heartbeat
     * and counts every few seconds while it runs ({@link WatcherRepository}).
     */
    private static String watchers(String text, String integer) {
        return """
                CREATE TABLE watchers (
                    host          %1$s NOT NULL,
                    workspace     %1$s NOT NULL,
                    watch_paths   %1$s NOT NULL,
                    pid           %2$s NOT NULL,
                    started_at    %1$s NOT NULL,
                    heartbeat_at  %1$s NOT NULL,
                    state         %1$s NOT NULL
                                  CHECK (state IN ('starting', 'scanning', 'watching', 'stopping', 'stopped')),
                    files_indexed %2$s NOT NULL DEFAULT 0,
                    files_failed  %2$s NOT NULL DEFAULT 0,
                    queue_depth   %2$s NOT NULL DEFAULT 0,
                    version       %1$s NOT NULL,
                    api_url       %1$s,
                    last_error    %1$s,
                    PRIMARY KEY (host, workspace)
                )""".formatted(text, integer);
    }

    /** The rows written before the upgrade are the upgrading machine's. */
    static void fill(Connection connection, Migrations.Progress progress, String host) throws SQLException {
        giveRowsTo(connection, PER_HOST, host);
    }

    /** Gives the rows of {@code tables} that have no host yet (written before it was recorded) to {@code host}. */
    static void giveRowsTo(Connection connection, List<String> tables, String host) throws SQLException {
        for (String table : tables) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table + " SET host = ? WHERE host = ''")) {
                update.setString(1, host);
                update.executeUpdate();
            }
        }
    }
}
