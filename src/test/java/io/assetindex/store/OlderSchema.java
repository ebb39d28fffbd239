package io.assetindex.store;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Turns a new index back into one from before a migration, for the tests of upgrades: drops what
 * each later migration created, newest first, and forgets that they ran. A new migration adds
 * its objects here.
 */
final class OlderSchema {
    private OlderSchema() {}

    /** Makes the index look as it was before migration {@code version} (which then runs again at the next open). */
    static void before(Statement s, int version) throws SQLException {
        if (version <= 19) {
            s.execute("DROP INDEX asset_paths_job");
        }
        if (version <= 18) {
            // host is in their primary keys: made again as their migrations made them, keeping their rows
            // (one host's, as an index of then held), so an upgrade has rows to give the upgrading host.
            withoutHost(s, "bit_rot", 13, "source_root, rel_path, expected_hash, found_hash, size_bytes, mtime_ns,"
                    + " found_at");
            withoutHost(s, "volumes", 4, "source_root, rel_prefix, device, files, seen_at, held_since, held_reason");
            withoutHost(s, "left_out", 8, "source_root, files, other_files, extensions_json, counted_at");
        }
        if (version <= 17) {
            s.execute("DROP TABLE index_changes_trimmed");
            s.execute("DROP INDEX index_changes_by_xid");
            s.execute("ALTER TABLE index_changes DROP COLUMN xid");
        }
        if (version <= 16) {
            s.execute("DROP TABLE watchers");
            s.execute("ALTER TABLE asset_paths DROP COLUMN host");
            // host is in their primary keys: made again as migration 4 made them (their rows are not kept).
            for (String table : List.of("failed_files", "files_in_flight")) {
                s.execute("DROP TABLE " + table);
                s.execute(created(4, table));
            }
        }
        if (version <= 15) {
            for (String trigger : List.of("asset_insert", "asset_insert_listed", "asset_delete", "asset_delete_listed", "asset_update", "path_insert", "path_delete",
                    "path_update", "attempt_insert", "attempt_delete", "attempt_update", "assets_vec_insert",
                    "assets_vec_delete", "assets_vec_next_insert", "assets_vec_next_delete")) {
                s.execute("DROP TRIGGER index_tallies_" + trigger);
            }
            s.execute("DROP TABLE index_tallies");
        }
        if (version <= 14) {
            s.execute("DROP INDEX assets_shape");
        }
        if (version <= 13) {
            s.execute("DROP TABLE bit_rot");
            s.execute("DROP INDEX asset_paths_verify_due");
            s.execute("ALTER TABLE asset_paths DROP COLUMN verified_at");
        }
        if (version <= 12) {
            s.execute("DROP TABLE integrity_accepted");
        }
        if (version <= 11) {
            s.execute("DROP TABLE config_snapshots");
        }
        if (version <= 10) {
            s.execute("DROP TABLE scan_history");
        }
        if (version <= 9) {
            s.execute("DROP INDEX analysis_cache_integrity_flagged");
        }
        if (version <= 8) {
            s.execute("DROP TABLE left_out");
        }
        if (version <= 7) {
            for (String trigger : List.of("update", "delete", "path_insert", "path_update", "path_delete")) {
                s.execute("DROP TRIGGER assets_fts_" + trigger);
            }
            s.execute("DROP VIEW assets_fts_source");
            s.execute("DROP TABLE assets_fts");
        }
        if (version <= 6) {
            for (String index : List.of("assets_indexed_at", "assets_captured", "assets_file_name", "assets_size_bytes",
                    "assets_duration", "asset_paths_live")) {
                s.execute("DROP INDEX " + index);
            }
        }
        s.execute("DELETE FROM schema_migrations WHERE version >= " + version);
    }

    /** The table as migration {@code version} made it, with the rows it has now ({@code columns} of them). */
    private static void withoutHost(Statement s, String table, int version, String columns) throws SQLException {
        s.execute("ALTER TABLE " + table + " RENAME TO " + table + "_with_host");
        s.execute(created(version, table));
        s.execute("INSERT INTO " + table + " SELECT " + columns + " FROM " + table + "_with_host");
        s.execute("DROP TABLE " + table + "_with_host");
    }

    /** The statement of SQLite's migration {@code version} that creates {@code table}. */
    private static String created(int version, String table) {
        return Migrations.ALL.get(version - 1).statements().stream()
                .filter(sql -> sql.contains("CREATE TABLE " + table + " ")).findFirst().orElseThrow();
    }
}
