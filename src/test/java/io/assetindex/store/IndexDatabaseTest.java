package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexDatabaseTest {
    @TempDir
    Path dir;

    private final Clock clock = Clock.systemUTC();

    private IndexDatabase open() {
        return IndexDatabase.open(dir.resolve(".asset_index/index.db"), 3, clock);
    }

    private static Object pragma(Connection connection, String name) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getObject(1);
        }
    }

    @Test
    void everyConnectionHasTheDesignPragmas() {
        try (IndexDatabase database = open()) {
            for (int i = 0; i < 3; i++) {
                database.read(c -> {
                    assertThat(pragma(c, "journal_mode")).isEqualTo("wal");
                    assertThat(pragma(c, "synchronous")).isEqualTo(1);
                    assertThat(pragma(c, "foreign_keys")).isEqualTo(1);
                    assertThat(pragma(c, "busy_timeout")).isEqualTo(5000);
                    return null;
                });
            }
        }
    }

    @Test
    void createsTheSchemaAndRecordsItsVersionOnce() throws SQLException {
        try (IndexDatabase database = open()) {
            assertThat(database.schemaVersion()).isEqualTo(Migrations.LATEST);
        }
        try (IndexDatabase database = open()) {
            int rows = database.read(c -> {
                try (Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM schema_migrations")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(rows).isEqualTo(Migrations.ALL.size());
        }
    }

    @Test
    void refusesADatabaseFromANewerProgram() throws SQLException {
        open().close();
        Path file = dir.resolve(".asset_index/index.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.execute("INSERT INTO schema_migrations VALUES (999, 'from the future', '2030-01-01T00:00:00.000Z')");
        }
        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("schema version 999, newer than this asset-index understands")
                .hasMessageContaining("upgrade asset-index");
    }

    @Test
    void aFileThatIsNotADatabaseIsExplained() throws Exception {
        Path file = dir.resolve(".asset_index/index.db");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "this is not a database, just some text that is long enough to matter".repeat(100));
        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageContaining("is not an SQLite database or is corrupt")
                .hasMessageContaining("move it away");
    }

    @Test
    void aDatabaseLockedByAnotherProgramIsExplained() throws Exception {
        open().close();
        Path file = dir.resolve(".asset_index/index.db");
        try (Connection holder = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = holder.createStatement()) {
            s.execute("PRAGMA journal_mode=DELETE");
            s.execute("BEGIN EXCLUSIVE");
            long start = System.nanoTime();
            assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                    .hasMessageContaining("is locked by another program");
            assertThat((System.nanoTime() - start) / 1_000_000).isGreaterThanOrEqualTo(4000);
            s.execute("ROLLBACK");
        }
    }

    @Test
    void aFailedWriteLeavesNothingBehind() {
        try (IndexDatabase database = open()) {
            assertThatThrownBy(() -> database.write(c -> {
                try (Statement s = c.createStatement()) {
                    s.execute("INSERT INTO process_log (file_path, status, duration_ms, ran_at)"
                            + " VALUES ('a', 'ok', 1, '2026-01-01T00:00:00.000Z')");
                    s.execute("INSERT INTO process_log (file_path, status, duration_ms, ran_at)"
                            + " VALUES ('b', 'bogus', 1, '2026-01-01T00:00:00.000Z')");
                }
                return null;
            })).isInstanceOf(StoreException.class);
            long rows = database.read(c -> {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM process_log")) {
                    rs.next();
                    return rs.getLong(1);
                }
            });
            assertThat(rows).isZero();
        }
    }

    private static long rows(IndexDatabase database) {
        return database.read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM process_log")) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static void insertRow(Connection c, String path) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO process_log (file_path, status, duration_ms, ran_at)"
                    + " VALUES ('" + path + "', 'ok', 1, '2026-01-01T00:00:00.000Z')");
        }
    }

    @Test
    void anErrorInsideAWriteLeavesNothingBehind() {
        try (IndexDatabase database = open()) {
            assertThatThrownBy(() -> database.write(c -> {
                insertRow(c, "a");
                throw new OutOfMemoryError("simulated: the JVM ran out of memory mid-transaction");
            })).isInstanceOf(OutOfMemoryError.class);

            assertThat(rows(database)).as("the half-done transaction is rolled back, not committed").isZero();
            database.write(c -> {
                insertRow(c, "b");
                return null;
            });
            assertThat(rows(database)).as("the next transaction commits its own row only").isEqualTo(1);
        }
    }

    @Test
    void anErrorInsideARehearsalLeavesNothingBehind() {
        try (IndexDatabase database = open()) {
            assertThatThrownBy(() -> database.rehearse(c -> {
                insertRow(c, "a");
                throw new StackOverflowError();
            })).isInstanceOf(StackOverflowError.class);

            assertThat(rows(database)).isZero();
        }
    }

    @Test
    void aConnectionThatCannotBeRolledBackIsNotHandedOutAgain() {
        try (IndexDatabase database = open()) {
            // The work breaks its own connection, so the rollback after its error fails too.
            assertThatThrownBy(() -> database.write(c -> {
                insertRow(c, "a");
                c.unwrap(Connection.class).close();
                throw new AssertionError("simulated bug in the work");
            })).isInstanceOf(AssertionError.class).hasMessage("simulated bug in the work");

            for (int i = 0; i < 5; i++) {
                assertThat(rows(database)).isZero();
            }
            database.write(c -> {
                insertRow(c, "b");
                return null;
            });
            assertThat(rows(database)).isEqualTo(1);
        }
    }

    @Test
    void volumesLeftOutCountsAndBitRotRecordedBeforeMigration18TakeTheUpgradingHost() throws SQLException {
        DuePath due = new DuePath("media", "a.jpg", "/data/media/a.jpg", "a".repeat(64), 100, 1);
        try (IndexStore store = openAs("ingest-1")) {
            store.recordNewAsset(new NewAsset(due.assetId(), "a.jpg", due.absPath(), "media", null,
                    io.assetindex.MediaType.IMAGE, 100, 1.0, java.util.Map.of(), "{}"), java.util.List.of(), null,
                    new PathRecord("media", "a.jpg", due.absPath(), null, due.assetId(), 100, 1),
                    LogEntry.ok("media/a.jpg", due.assetId(), "new content", 1, clock.instant()),
                    LogEntry.ok("media/a.jpg", due.assetId(), "linked", 1, clock.instant()));
            store.recordVolume("media", "", "dev-1", 1, "the disk is not mounted");
            store.recordLeftOut("media", new LeftOut(java.util.Map.of(), 4));
            new VerificationLedger(store.database()).bitRot(due, "b".repeat(64), clock.instant());
            store.database().write(c -> {
                try (Statement s = c.createStatement()) {
                    OlderSchema.before(s, HostRowsMigration.VERSION);
                }
                return null;
            });
        }

        // doctor reads the file as it is, not upgraded: every row, as they were kept then.
        Path file = dir.resolve(".asset_index/index.db");
        assertThat(DatabaseFiles.leftOut(file, "ingest-2")).singleElement()
                .satisfies(counted -> assertThat(counted.leftOut().files()).isEqualTo(4));
        assertThat(DatabaseFiles.bitRot(file, "ingest-2", 3)).extracting(BitRot::relPath).containsExactly("a.jpg");

        try (IndexStore upgraded = openAs("ingest-1")) {
            assertThat(upgraded.database().schemaVersion()).isEqualTo(Migrations.LATEST);
            for (String table : java.util.List.of("volumes", "left_out", "bit_rot")) {
                String hosts = upgraded.database().read(c -> {
                    try (Statement s = c.createStatement();
                            ResultSet rs = s.executeQuery("SELECT group_concat(DISTINCT host) FROM " + table)) {
                        rs.next();
                        return rs.getString(1);
                    }
                });
                assertThat(hosts).as(table).isEqualTo("ingest-1");
            }
            assertThat(upgraded.heldVolumes()).hasSize(1);
            assertThat(new IndexReader(upgraded.database()).leftOut()).singleElement()
                    .satisfies(counted -> assertThat(counted.leftOut().files()).isEqualTo(4));
            assertThat(new VerificationLedger(upgraded.database()).countBitRot()).isEqualTo(1);
        }
        try (IndexStore other = openAs("ingest-2")) {
            assertThat(other.heldVolumes()).isEmpty();
            assertThat(other.volumes("media")).isEmpty();
            assertThat(new IndexReader(other.database()).leftOut()).isEmpty();
        }
        assertThat(DatabaseFiles.leftOut(file, "ingest-2")).isEmpty();
        assertThat(DatabaseFiles.bitRot(file, "ingest-1", 3)).extracting(BitRot::relPath).containsExactly("a.jpg");
    }

    private IndexStore openAs(String host) {
        return new IndexStore(IndexDatabase.open(new IndexTarget.SqliteFile(dir.resolve(".asset_index/index.db")), 3,
                clock, host), clock);
    }

    @Test
    void aMigrationInterruptedByAnErrorLeavesTheDatabaseAsItWasAndTheNextOpenMigratesIt() {
        Clock failing = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                throw new AssertionError("simulated: an Error while a migration is half applied");
            }
        };
        Path file = dir.resolve(".asset_index/index.db");
        assertThatThrownBy(() -> IndexDatabase.open(file, 3, failing)).isInstanceOf(AssertionError.class);

        try (IndexDatabase database = open()) {
            assertThat(database.schemaVersion()).isEqualTo(Migrations.LATEST);
        }
    }
}
