package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.LogCapture;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Migration 7 on an index from before it: every asset gets its keyword row (in batches, in one
 * transaction), the rows are what the triggers would have written, and a large index says how far
 * the upgrade got; a small one says nothing.
 */
class KeywordMigrationTest {
    private static final String T0 = "2026-01-01T10:00:00.000Z";

    @TempDir
    Path dir;

    /** An index at version 6 with {@code count} assets, one live path each (and one deleted path). */
    private void indexBeforeMigration7(int count) throws SQLException {
        try (IndexDatabase database = IndexDatabase.open(dir.resolve("index.db"), 2, Clock.systemUTC())) {
            database.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("DROP TABLE left_out"); // migration 8
                    s.execute("DROP INDEX analysis_cache_integrity_flagged"); // migration 9
                    s.execute("DROP TABLE config_snapshots"); // migration 11
                    for (String trigger : List.of("update", "delete", "path_insert", "path_update", "path_delete")) {
                        s.execute("DROP TRIGGER assets_fts_" + trigger);
                    }
                    s.execute("DROP VIEW assets_fts_source");
                    s.execute("DROP TABLE assets_fts");
                    s.execute("DELETE FROM schema_migrations WHERE version >= 7");
                    String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + count
                            + ") ";
                    s.execute(numbers + "INSERT INTO assets (id, file_name, file_path, source_root, job_id, media_type,"
                            + " size_bytes, mtime, raw_json, summary, indexed_at) SELECT printf('%064x', i),"
                            + " printf('clip_%05d.mp4', i), printf('/m/footage/clip_%05d.mp4', i), 'footage',"
                            + " CASE WHEN i % 2 = 0 THEN 'ACME-' || i END, 'video', 1000, 0,"
                            + " '{\"probe\": {\"camera_model\": \"X-T5\"}}', 'boats in a harbour', '" + T0 + "' FROM n");
                    s.execute(numbers + "INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes,"
                            + " mtime_ns, first_seen_at, last_seen_at) SELECT printf('%064x', i), 'footage',"
                            + " printf('day%d/clip_%05d.mp4', i % 3, i), printf('/m/footage/clip_%05d.mp4', i), 1000, 0, '"
                            + T0 + "', '" + T0 + "' FROM n");
                    s.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes, mtime_ns,"
                            + " first_seen_at, last_seen_at, deleted_at) VALUES (printf('%064x', 1), 'footage',"
                            + " 'gone/renamed_old.mp4', '/m/footage/gone/renamed_old.mp4', 1000, 0, '" + T0 + "', '" + T0
                            + "', '" + T0 + "')");
                }
                return null;
            });
        }
    }

    @Test
    void aLargeIndexGetsEveryKeywordRowAndSaysHowFarTheUpgradeGot() throws SQLException {
        int count = 20_500;
        indexBeforeMigration7(count);
        try (LogCapture log = new LogCapture("io.assetindex.store.Migrations");
                IndexDatabase database = IndexDatabase.open(dir.resolve("index.db"), 2, Clock.systemUTC())) {
            assertThat(database.schemaVersion()).isEqualTo(Migrations.LATEST);
            assertThat(log.messages()).first().asString().contains("migration 7").contains("20,500 assets to go through, once");
            assertThat(log.messages()).last().asString().endsWith("20,500 of 20,500 done (100%)");

            IndexReader reader = new IndexReader(database);
            assertThat(count(database, "SELECT count(*) FROM assets_fts")).isEqualTo(count);
            // Name words, the folder, the job, the camera, the summary: as the triggers write them.
            assertThat(reader.keywordSearch("\"clip 12345\"", SearchFilter.NONE, 10)).extracting(IndexReader.KeywordHit::id)
                    .containsExactly("%064x".formatted(12345));
            assertThat(reader.keywordCountUpTo("\"acme 12346\" AND \"day1\" AND \"x t5\" AND harbour", 10)).isEqualTo(1);
            // A deleted path's name is not the asset's any more.
            assertThat(reader.keywordCountUpTo("renamed", 10)).isZero();
            // And the triggers keep it from now on.
            database.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("UPDATE assets SET summary = 'a lighthouse at dawn' WHERE id = printf('%064x', 7)");
                }
                return null;
            });
            assertThat(reader.keywordSearch("lighthouse", SearchFilter.NONE, 10)).extracting(IndexReader.KeywordHit::id)
                    .containsExactly("%064x".formatted(7));
        }
    }

    @Test
    void aSmallIndexIsUpgradedWithoutAWord() throws SQLException {
        indexBeforeMigration7(50);
        try (LogCapture log = new LogCapture("io.assetindex.store.Migrations");
                IndexDatabase database = IndexDatabase.open(dir.resolve("index.db"), 2, Clock.systemUTC())) {
            assertThat(count(database, "SELECT count(*) FROM assets_fts")).isEqualTo(50);
            assertThat(log.messages()).isEmpty();
        }
    }

    private static long count(IndexDatabase database, String sql) {
        return database.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }
}
