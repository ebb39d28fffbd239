package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.MediaType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IndexTallies}: after every kind of write (new assets and paths, copies, moves between
 * watch paths and jobs, deletes and returns, a path's content replaced, re-analysis that changes
 * tags or type, assets deleted with their paths, vectors stored again, attempts logged and
 * trimmed), the counts of status and the unfiltered listing's facets equal what counting every
 * row gives; a write rolled back or cut off by a crash takes its counts with it; an index from
 * before migration 15 gets them counted.
 */
class IndexTalliesTest {
    private static final String T0 = "2026-01-01T10:00:00.000Z";
    private static final List<String> ROOTS = List.of("raw_assets", "jobs", ".");
    private static final List<String> JOBS = List.of("ACME-042", "BETA-7", "GAMMA");
    private static final List<String> TAGS = List.of("[\"Sea\", \"sea\", \"beach\"]", "[\"SEA\", \"\", 3, [\"x\"]]",
            "[\"boat\", \"caf\\u00e9\", \"\u00c9t\u00e9\"]", "not json", "[\"cut short\"", "{\"tags\": [\"sea\"]}",
            "\"beach\"", "[]", "[\"Boat\", \"night\"]");

    @TempDir
    Path dir;

    private IndexDatabase database;

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    private void open() {
        database = IndexDatabase.open(dir.resolve("index.db"), 2, Clock.systemUTC());
    }

    private static String id(int n) {
        return "%064x".formatted(n);
    }

    @Test
    void everyKindOfWriteKeepsTheCountsEqualToCountingEveryRow() {
        open();
        Random random = new Random(16);
        for (int step = 0; step < 2000; step++) {
            int op = random.nextInt(12);
            database.write(c -> {
                randomWrite(c, random, op);
                return null;
            });
            assertTalliesAreExact("after write " + step + " (kind " + op + ")");
        }
        assertThat(count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL")).as("the test moved things").isPositive();
    }

    /** {@code count} writes of the first {@code kinds} kinds, chosen by a generator seeded with {@code seed}. */
    private void randomWrites(Connection c, long seed, int count, int kinds) throws SQLException {
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            randomWrite(c, random, random.nextInt(kinds));
        }
    }

    private void randomWrite(Connection c, Random random, int op) throws SQLException {
        int asset = 1 + random.nextInt(30);
        String root = ROOTS.get(random.nextInt(ROOTS.size()));
        String job = random.nextInt(3) == 0 ? null : JOBS.get(random.nextInt(JOBS.size()));
        switch (op) {
            case 0, 1 -> execute(c, "INSERT INTO assets (id, file_name, file_path, source_root, media_type, size_bytes,"
                    + " mtime, tags_json, indexed_at) VALUES (?, 'f', '/f', 'raw_assets', ?, ?, 0, ?, ?)"
                    + " ON CONFLICT (id) DO NOTHING", id(asset), MediaType.values()[random.nextInt(3)].id(),
                    random.nextInt(5000), TAGS.get(random.nextInt(TAGS.size())), T0);
            case 2, 3 -> execute(c, "INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, job_id,"
                    + " size_bytes, mtime_ns, first_seen_at, last_seen_at, deleted_at) SELECT ?, ?, ?, '/p', ?, 1, 0, ?,"
                    + " ?, ? WHERE EXISTS (SELECT 1 FROM assets WHERE id = ?)"
                    + " ON CONFLICT (source_root, rel_path) DO UPDATE SET asset_id = excluded.asset_id,"
                    + " job_id = excluded.job_id, deleted_at = excluded.deleted_at", id(asset), root,
                    "p" + random.nextInt(40), job, T0, T0, random.nextInt(4) == 0 ? T0 : null, id(asset));
            case 4 -> execute(c, "UPDATE asset_paths SET deleted_at = ? WHERE id = ?", T0, random.nextInt(60));
            case 5 -> execute(c, "UPDATE asset_paths SET deleted_at = NULL WHERE id = ?", random.nextInt(60));
            case 6 -> execute(c, "UPDATE OR IGNORE asset_paths SET source_root = ?, rel_path = rel_path || 'm', job_id = ?"
                    + " WHERE id = ?", root, job, random.nextInt(60)); // moved
            case 7 -> execute(c, "UPDATE assets SET tags_json = ?, media_type = ?, size_bytes = size_bytes + 1"
                    + " WHERE id = ?", TAGS.get(random.nextInt(TAGS.size())), MediaType.values()[random.nextInt(3)].id(),
                    id(asset)); // re-analysed
            case 8 -> execute(c, "DELETE FROM assets WHERE id = ?", id(asset)); // its paths and vector go with it
            case 9 -> execute(c, "DELETE FROM asset_paths WHERE id = ?", random.nextInt(60));
            case 10 -> {
                String model = random.nextInt(3) == 0 ? "b" : "a";
                if (random.nextInt(8) == 0) {
                    new VectorRepository().promote(c, model, Instant.EPOCH); // a new model's vectors replace the old
                } else if (count(c, "SELECT count(*) FROM assets WHERE id = '" + id(asset) + "'") > 0) {
                    new VectorRepository().store(c, id(asset), new VectorRecord(model, "m", "{}",
                            new float[] {random.nextFloat(), 1}), Instant.EPOCH); // again: replaces its vector
                }
            }
            default -> {
                if (random.nextBoolean()) {
                    execute(c, "INSERT INTO process_log (file_path, status, duration_ms, ran_at) VALUES ('f', ?, 1, ?)",
                            List.of("ok", "skipped", "failed").get(random.nextInt(3)), T0);
                } else {
                    execute(c, "DELETE FROM process_log WHERE id = (SELECT min(id) FROM process_log)");
                }
            }
        }
    }

    @Test
    void aWriteRolledBackOrCutOffByACrashLeavesTheCountsAsTheyWere() throws SQLException {
        open();
        database.write(c -> {
            randomWrites(c, 7, 300, 12);
            return null;
        });
        IndexTallies.Totals before = totals();
        AssetFacets listedBefore = listed();
        assertThat(before.livePaths()).isPositive();

        assertThatThrownBy(() -> database.write(c -> {
            execute(c, "DELETE FROM assets");
            throw new IllegalStateException("the file failed half way");
        })).isInstanceOf(IllegalStateException.class);
        try (Connection crashed = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("index.db"))) {
            SearchWords.register(crashed);
            crashed.setAutoCommit(false);
            execute(crashed, "UPDATE asset_paths SET deleted_at = NULL");
            execute(crashed, "DELETE FROM process_log");
            // the process dies here: the connection goes without a commit
        }

        assertThat(totals()).isEqualTo(before);
        assertThat(listed()).isEqualTo(listedBefore);
        assertTalliesAreExact("after the rollback and the crash");
    }

    @Test
    void anIndexFromBeforeMigration15GetsItsCountsCounted() throws SQLException {
        open();
        database.write(c -> {
            randomWrites(c, 15, 300, 12);
            try (Statement s = c.createStatement()) {
                OlderSchema.before(s, 15);
            }
            return null;
        });
        database.close();
        open();

        assertThat(database.schemaVersion()).isEqualTo(Migrations.LATEST);
        assertTalliesAreExact("after the upgrade");
        assertThat(totals().livePaths()).isPositive();
    }

    @Test
    void aBulkLoadWithTheTriggersOffIsCountedAgainByRecount() throws SQLException {
        open();
        database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("DROP TRIGGER index_tallies_asset_insert");
                s.execute("DROP TRIGGER index_tallies_path_insert");
            }
            randomWrites(c, 3, 200, 4); // new assets and paths only
            IndexTallies.recount(c);
            return null;
        });
        assertTalliesAreExact("after the recount");
    }

    private IndexTallies.Totals totals() {
        return database.read(IndexTallies::totals);
    }

    private AssetFacets listed() {
        return database.read(IndexTallies::listed);
    }

    /** The tallies against counting every row, and the listing's facets against the pass that reads every match. */
    private void assertTalliesAreExact(String when) {
        database.read(c -> {
            Map<MediaType, Long> byType = new EnumMap<>(MediaType.class);
            for (MediaType type : MediaType.values()) {
                byType.put(type, count(c, "SELECT count(*) FROM assets WHERE media_type = '" + type.id() + "'"));
            }
            Map<ProcessStatus, Long> attempts = new EnumMap<>(ProcessStatus.class);
            for (ProcessStatus status : ProcessStatus.values()) {
                attempts.put(status, count(c, "SELECT count(*) FROM process_log WHERE status = '" + status.id() + "'"));
            }
            IndexTallies.Totals counted = new IndexTallies.Totals(byType,
                    count(c, "SELECT coalesce(sum(size_bytes), 0) FROM assets"), count(c, "SELECT count(*) FROM asset_paths"),
                    count(c, "SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL"), attempts,
                    count(c, "SELECT count(*) FROM assets_vec"), count(c, "SELECT count(*) FROM assets_vec_next"));
            assertThat(IndexTallies.totals(c)).as(when).isEqualTo(counted);
            AssetFacets listed = new FacetRepository().facets(c, SearchFilter.NONE);
            assertThat(IndexTallies.listed(c)).as(when).isEqualTo(listed);
            assertThat(IndexTallies.listedTotal(c)).as(when).isEqualTo(listed.total());
            return null;
        });
    }

    private long count(String sql) {
        return database.read(c -> count(c, sql));
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void execute(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            statement.executeUpdate();
        }
    }
}
