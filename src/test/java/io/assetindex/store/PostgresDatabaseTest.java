package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.config.PostgresUrl;
import io.assetindex.testing.TestPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The index in a real PostgreSQL database (the tests' own server): its schema and migrations,
 * and the functions that make it answer as SQLite does, compared with SQLite on the same values.
 */
class PostgresDatabaseTest {
    private final String url = TestPostgres.newDatabase();
    private final IndexTarget.Postgres target = new IndexTarget.Postgres(PostgresUrl.parse(url), null, null);

    @Test
    void anEmptyDatabaseIsNoIndexUntilOpenedThenHasTheLatestSchema() {
        assertThat(target.exists()).isFalse();
        try (IndexDatabase database = IndexDatabase.open(target, 2, Clock.systemUTC())) {
            assertThat(database.schemaVersion()).isEqualTo(Migrations.LATEST);
            assertThat(database.dialect()).isEqualTo(Dialect.POSTGRESQL);
            assertThat(database.describe()).isEqualTo(url).doesNotContain("password");
        }
        assertThat(target.exists()).isTrue();
    }

    @Test
    void programsOpeningANewDatabaseAtOnceMakeItsSchemaOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<Integer>> opened = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                opened.add(pool.submit((Callable<Integer>) () -> {
                    try (IndexDatabase database = IndexDatabase.open(target, 2, Clock.systemUTC())) {
                        return database.schemaVersion();
                    }
                }));
            }
            for (Future<Integer> version : opened) {
                assertThat(version.get()).isEqualTo(Migrations.LATEST);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(number("SELECT count(*) FROM schema_migrations")).as("each migration once")
                .isEqualTo(PostgresMigrations.ALL.size());
    }

    @Test
    void aDatabaseWrittenByANewerProgramIsRefused() throws SQLException {
        IndexDatabase.open(target, 2, Clock.systemUTC()).close();
        execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (" + (Migrations.LATEST + 1)
                + ", 'from the future', '2030-01-01T00:00:00Z')");
        assertThatThrownBy(() -> IndexDatabase.open(target, 2, Clock.systemUTC()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("newer than this asset-index understands", url);
    }

    @Test
    void rowsKeptPerWatchPathNameBeforeMigration18TakeTheUpgradingHost() throws SQLException {
        IndexDatabase.open(target, 2, Clock.systemUTC(), "ingest-1").close();
        // As migration 17 left them: no host, keyed by watch path name.
        for (String[] table : new String[][] {{"bit_rot", "source_root, rel_path"},
                {"volumes", "source_root, rel_prefix"}, {"left_out", "source_root"}}) {
            execute("ALTER TABLE " + table[0] + " DROP COLUMN host");
            execute("ALTER TABLE " + table[0] + " ADD PRIMARY KEY (" + table[1] + ")");
        }
        execute("DROP INDEX asset_paths_job"); // migration 19's
        execute("DELETE FROM schema_migrations WHERE version >= " + HostRowsMigration.VERSION);
        execute("INSERT INTO bit_rot VALUES ('media', 'a.jpg', 'aa', 'bb', 1, 1, '2026-01-01T00:00:00Z')");
        execute("INSERT INTO volumes VALUES ('media', '', 'dev', 1, '2026-01-01T00:00:00Z', NULL, NULL)");
        execute("INSERT INTO left_out VALUES ('media', 3, 0, '{}', '2026-01-01T00:00:00Z')");

        IndexDatabase.open(target, 2, Clock.systemUTC(), "ingest-1").close();

        for (String table : List.of("bit_rot", "volumes", "left_out")) {
            assertThat(text("SELECT string_agg(DISTINCT host, ',') FROM " + table)).as(table).isEqualTo("ingest-1");
        }
        // Another host's row of the same watch path name is a row of its own.
        execute("INSERT INTO left_out VALUES ('media', 5, 0, '{}', '2026-01-02T00:00:00Z', 'ingest-2')");
        assertThat(number("SELECT count(*) FROM left_out")).isEqualTo(2);
        assertThat(number("SELECT count(*) FROM schema_migrations")).isEqualTo(PostgresMigrations.ALL.size());
    }

    @Test
    void namesAreSplitIntoTheirWordsAsSearchWordsSplitsThem() throws SQLException {
        IndexDatabase.open(target, 2, Clock.systemUTC()).close();
        for (String name : List.of("DJI_0042.MP4", "droneShotOverTheCoast.mov", "HTTPServer_take12b.wav", "IMG1234.jpg",
                "plain words.jpg", "café_au_lait.jpg")) {
            assertThat(text("SELECT asset_words(?)", name)).as(name).isEqualTo(SearchWords.words(name));
        }
    }

    @Test
    void captureTimesSortAsInSqlite() throws SQLException {
        IndexDatabase.open(target, 2, Clock.systemUTC()).close();
        try (Connection sqlite = DriverManager.getConnection("jdbc:sqlite::memory:")) {
            for (String raw : List.of("{\"probe\":{\"captured_at\":\"2024-05-01T10:20:30\"}}",
                    "{\"probe\":{\"captured_at\":\"2024-05-01T10:20:30+02:00\"}}",
                    "{\"probe\":{\"captured_at\":\"2024-05-01T10:20:30.250-05:30\"}}",
                    "{\"probe\":{\"created_at\":\"2023-12-31T23:59:59Z\"}}",
                    "{\"probe\":{\"captured_at\":\"2024-05-01\"}}",
                    "{\"probe\":{\"captured_at\":\"12345\"}}",
                    "{\"probe\":{\"captured_at\":42}}",
                    "not json", "{}")) {
                String expected;
                try (PreparedStatement query = sqlite.prepareStatement("SELECT " + Dialect.SQLITE.captureKey() + ", "
                        + Dialect.SQLITE.capturedAt() + " FROM (SELECT ? AS raw_json)")) {
                    query.setString(1, raw);
                    try (ResultSet rs = query.executeQuery()) {
                        rs.next();
                        expected = rs.getString(1) + " " + rs.getString(2);
                    }
                }
                assertThat(text("SELECT coalesce(capture_key(?), 'null') || ' ' || coalesce(captured_at(?), 'null')",
                        raw, raw)).as(raw).isEqualTo(expected);
            }
        }
    }

    @Test
    void aReadWhoseConnectionTheServerEndsSaysTheDatabaseIsOutOfReachAndTheNextReadWorks() {
        try (IndexDatabase database = IndexDatabase.open(target, 2, Clock.systemUTC())) {
            // The server ends the connection mid-read (57P01, as when it is stopped); the pool then closes it,
            // so ending the read's transaction fails too: the caller must still get the server's reason.
            assertThatThrownBy(() -> database.readSnapshot(c -> {
                try (Statement statement = c.createStatement()) {
                    statement.execute("SELECT pg_terminate_backend(pg_backend_pid())");
                }
                return null;
            })).isInstanceOf(StoreException.class).hasMessageContaining("administrator command")
                    .satisfies(e -> assertThat(StoreException.databaseUnreachable(e)).isTrue());

            Integer answer = database.readSnapshot(c -> {
                try (Statement statement = c.createStatement(); ResultSet rs = statement.executeQuery("SELECT 42")) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(answer).as("the next read, on another connection").isEqualTo(42);
        }
    }

    private String text(String sql, String... params) throws SQLException {
        try (Connection connection = TestPostgres.connect(url);
                PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                query.setString(i + 1, params[i]);
            }
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    private long number(String sql) throws SQLException {
        try (Connection connection = TestPostgres.connect(url); Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = TestPostgres.connect(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
