package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.store.IndexDatabase;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code migrate --to}: an index copied from SQLite to the tests' real PostgreSQL server and back
 * (from PostgreSQL to SQLite and back on the PostgreSQL backend), on real files.
 */
class MigrateCommandTest {
    private static final String URL_VARIABLE = "ASSET_INDEX_DATABASE__URL";

    @TempDir
    Path workspace;

    @TempDir
    Path elsewhere;

    private InProcess cli;

    @BeforeEach
    void setUp() {
        cli = new InProcess(workspace);
        TestMedia.jpeg(workspace.resolve("raw_assets/harbour_at_dawn.jpg"), 40, 30, 1);
        TestMedia.jpeg(workspace.resolve("raw_assets/trips/lighthouse_storm.jpg"), 30, 40, 2);
        TestMedia.fixture("exif.jpg", workspace.resolve("raw_assets/camera/exif.jpg"));
        TestMedia.wav(workspace.resolve("raw_assets/sound/wind.wav"), 1.0, 3);
        TestMedia.randomBytes(workspace.resolve("raw_assets/broken.jpg"), 500, 4); // a failed file, a failed log row
    }

    /** The index the workspace's commands use from now on: a postgresql:// URL, or the workspace's SQLite file. */
    private void use(String index) {
        if (index.startsWith("postgresql://")) {
            cli.env.put(URL_VARIABLE, index);
        } else {
            cli.env.remove(URL_VARIABLE);
        }
    }

    private String sqliteFile() {
        return workspace.resolve(".asset_index/index.db").toString();
    }

    private InProcess.Run migrate(String to) {
        return cli.run("migrate", "--to", to);
    }

    /** The export's text, with the clock fixed so its header's time is the same every time. */
    private String export(String name) throws Exception {
        Clock before = cli.clock;
        cli.clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneId.of("UTC"));
        Path file = elsewhere.resolve(name + ".jsonl");
        InProcess.Run run = cli.run("export", "--out", file.toString());
        cli.clock = before;
        assertThat(run.exitCode()).as(run.err()).isZero();
        return Files.readString(file);
    }

    @Test
    void anIndexMigratedThereAndBackExportsTheSameAndKeepsEveryRow() throws Exception {
        boolean fromPostgres = TestPostgres.selected();
        String original = fromPostgres ? cli.env.get(URL_VARIABLE) : sqliteFile();
        assertThat(cli.run("scan").exitCode()).isZero(); // broken.jpg failed, which is no failure of the scan
        assertThat(cli.run("verify").exitCode()).isZero();
        String before = export("before");
        Map<String, List<String>> rowsBefore = rows(original);

        String there = fromPostgres ? sqliteFile() : TestPostgres.newDatabase();
        InProcess.Run run = cli.run("migrate", "--to", fromPostgres ? "sqlite:" + there : there, "--json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode summary = run.json();
        assertThat(summary.at("/assets").asInt()).isEqualTo(4);
        assertThat(summary.at("/tables/asset_paths").asInt()).isEqualTo(4);
        assertThat(summary.at("/tables/failed_files").asInt()).isEqualTo(1);
        assertThat(summary.at("/tables/scan_history").asInt()).isEqualTo(2);
        assertThat(run.err()).contains("migrate: assets: 4 rows copied", "building the keyword index");
        use(there);
        assertThat(export("there")).isEqualTo(before);
        assertThat(InProcess.firstPaths(cli.search("lighthouse", "--mode", "keyword")))
                .containsExactly("raw_assets/trips/lighthouse_storm.jpg");
        assertThat(cli.json("list").at("/total").asInt()).isEqualTo(4);
        assertThat(cli.run("show", "raw_assets/harbour_at_dawn.jpg").out()).contains("harbour_at_dawn.jpg");
        assertThat(cli.json("status").at("/counts/assets").asInt()).isEqualTo(4);

        String back;
        if (fromPostgres) {
            back = TestPostgres.newDatabase();
        } else {
            back = sqliteFile();
            Files.move(Path.of(original), elsewhere.resolve("original.db")); // closed: no -wal or -shm left
            original = elsewhere.resolve("original.db").toString();
        }
        InProcess.Run again = migrate(back);
        assertThat(again.exitCode()).as(again.err()).isZero();
        use(back);
        assertThat(export("back")).isEqualTo(before);
        assertThat(rows(back)).isEqualTo(rowsBefore);
    }

    /**
     * Every table's rows (sorted, bytes in hex), derived tables included (the keyword index's
     * content, SQLite's tallies): all but what a database numbers for itself.
     */
    private static Map<String, List<String>> rows(String index) throws SQLException {
        Map<String, List<String>> tables = new TreeMap<>();
        boolean postgres = index.startsWith("postgresql://");
        try (Connection c = postgres ? TestPostgres.connect(index) : DriverManager.getConnection("jdbc:sqlite:" + index);
                Statement statement = c.createStatement()) {
            List<String> names = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(postgres
                    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
                            + " AND table_type = 'BASE TABLE'"
                    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
                            + " AND name NOT LIKE 'assets_fts_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            names.removeAll(List.of("schema_migrations", "index_changes")); // applied_at and the feed's own numbers
            for (String table : names) {
                List<String> rows = new ArrayList<>();
                String columns = table.equals("assets_fts") ? "id, name, folder, job, camera, style, summary, tags,"
                        + " mood, scenes, transcript" + (postgres ? ", document::text" : "") : "*";
                try (ResultSet rs = statement.executeQuery("SELECT " + columns + " FROM " + table)) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            row.append(meta.getColumnName(i)).append('=').append(value instanceof byte[] bytes
                                    ? HexFormat.of().formatHex(bytes) : value instanceof Number n
                                            ? Double.toString(n.doubleValue()) : value).append(' ');
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                tables.put(table, rows);
            }
        }
        return tables;
    }

    @Test
    void aTargetThatHoldsAnIndexIsRefusedAndLeftAsItWas() {
        assertThat(cli.run("scan").exitCode()).isZero();
        String target = elsewhere.resolve("copy.db").toString();
        assertThat(migrate(target).exitCode()).isZero();
        InProcess.Run twice = migrate("sqlite:" + target);
        assertThat(twice.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(twice.err().strip()).doesNotContain("\n").contains("already holds an index");

        InProcess.Run itself = migrate(TestPostgres.selected() ? cli.env.get(URL_VARIABLE) : sqliteFile());
        assertThat(itself.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(itself.err()).contains("is this workspace's index itself");
    }

    @Test
    void aBadTargetOrAWrongPasswordIsOneLineWithoutThePassword() {
        assertThat(cli.run("scan").exitCode()).isZero();
        String secret = "Hunter-22-staple";
        for (String bad : List.of("mysql://db.example.com/assets", "postgresql://indexer:" + secret + "@localhost/x",
                "postgresql://localhost", elsewhere.toString())) {
            InProcess.Run run = migrate(bad);
            assertThat(run.exitCode()).as(bad).isEqualTo(ExitCode.USAGE);
            assertThat(run.err().strip()).as(bad).startsWith("asset-index: bad --to").doesNotContain("\n", secret);
        }
        String url = TestPostgres.ownedByRole(TestPostgres.newDatabase(), "migrator", "Right-one-1");
        cli.env.put("ASSET_INDEX_DATABASE__PASSWORD_ENV", "MIGRATE_PASSWORD");
        cli.env.put("MIGRATE_PASSWORD", secret);
        InProcess.Run wrong = migrate(url);
        assertThat(wrong.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(wrong.err().strip()).doesNotContain("\n", secret).contains("refused the password of user migrator");
        cli.env.put("MIGRATE_PASSWORD", "Right-one-1");
        InProcess.Run right = migrate(url);
        assertThat(right.exitCode()).as(right.err()).isZero();
    }

    @Test
    void aCountThatDiffersStopsTheCopyNamingTheTableAndKeepsNothing() throws Exception {
        cli.env.remove(URL_VARIABLE); // from SQLite: the target is PostgreSQL, where a rule can drop rows silently
        assertThat(cli.run("scan").exitCode()).isZero();
        String target = TestPostgres.newDatabase();
        IndexDatabase.open(TestPostgres.indexTarget(target), 2, Clock.systemUTC()).close();
        try (Connection c = TestPostgres.connect(target); Statement statement = c.createStatement()) {
            statement.execute("CREATE RULE lose_failures AS ON INSERT TO process_log WHERE NEW.status = 'failed'"
                    + " DO INSTEAD NOTHING");
        }
        InProcess.Run run = migrate(target);
        assertThat(run.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(run.err()).contains("the copy of table process_log has 4 rows, the source 5");
        try (Connection c = TestPostgres.connect(target); Statement statement = c.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT count(*) FROM assets")) {
                assertThat(rs.next() && rs.getLong(1) == 0).as("nothing kept").isTrue();
            }
            statement.execute("DROP RULE lose_failures ON process_log");
        }
        assertThat(migrate(target).exitCode()).as("run again").isZero();
    }

    @Test
    void rowsWrittenAfterTheMigrationTakeNewIds() throws Exception {
        cli.env.remove(URL_VARIABLE);
        assertThat(cli.run("scan").exitCode()).isZero();
        String target = TestPostgres.newDatabase();
        assertThat(migrate(target).exitCode()).isZero();
        use(target);
        TestMedia.jpeg(workspace.resolve("raw_assets/new/after_the_move.jpg"), 20, 20, 9);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.err()).doesNotContain("duplicate key");
        assertThat(cli.json("status").at("/counts/assets").asInt()).isEqualTo(5);
        assertThat(InProcess.firstPaths(cli.search("after move", "--mode", "keyword")))
                .containsExactly("raw_assets/new/after_the_move.jpg");
    }

    /** The workspace's files scanned into a new PostgreSQL database, which the workspace then uses. */
    private String scannedIntoPostgres() {
        String source = TestPostgres.newDatabase();
        use(source);
        assertThat(cli.run("scan").exitCode()).isZero();
        return source;
    }

    /** A path of {@code host} for the asset at {@code relPath}, its relative path given by an SQL expression. */
    private static void pathOfAnotherHost(String index, String host, String relPath, String newRelPath)
            throws SQLException {
        try (Connection c = TestPostgres.connect(index); Statement statement = c.createStatement()) {
            statement.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, job_id, size_bytes,"
                    + " mtime_ns, first_seen_at, last_seen_at, host) SELECT asset_id, source_root, " + newRelPath + ","
                    + " '/mnt/' || rel_path, job_id, size_bytes, mtime_ns, first_seen_at, last_seen_at, '" + host + "'"
                    + " FROM asset_paths WHERE rel_path = '" + relPath + "'");
        }
    }

    @Test
    void pathsThatTwoHostsShareAreRefusedBeforeAnSqliteCopy() throws Exception {
        String source = scannedIntoPostgres();
        for (String path : List.of("harbour_at_dawn.jpg", "sound/wind.wav")) {
            pathOfAnotherHost(source, "zz-studio-b", path, "rel_path");
        }
        String target = elsewhere.resolve("one-machine.db").toString();
        InProcess.Run run = migrate(target);
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n").contains("an SQLite index keeps one path per watch path",
                "and zz-studio-b both have raw_assets/harbour_at_dawn.jpg (and 1 more paths that hosts share)",
                "copy this index into another PostgreSQL database instead");
        assertThat(InProcess.firstPaths(cli.search("harbour", "--mode", "keyword")))
                .as("the source as it was").contains("raw_assets/harbour_at_dawn.jpg");
        String other = TestPostgres.newDatabase();
        assertThat(migrate(other).exitCode()).as("into PostgreSQL, whose key has the host").isZero();
    }

    @Test
    void aSharedPathWithAControlCharacterInItsNameIsNamedOnOneLine() throws Exception {
        String source = scannedIntoPostgres();
        for (String host : List.of("aa-studio-a", "zz-studio-b")) {
            pathOfAnotherHost(source, host, "harbour_at_dawn.jpg", "E'evil\\n\\u001b[2Jname.jpg'");
        }
        InProcess.Run run = migrate(elsewhere.resolve("one-machine.db").toString());
        assertThat(run.exitCode()).as(run.err()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err().strip()).doesNotContain("\n", "\u001b")
                .contains("hosts aa-studio-a and zz-studio-b both have raw_assets/evil\\n\\u001b[2Jname.jpg;");
    }

    @Test
    void aRunningWatcherKeepsTheIndexFromBeingMigrated() throws Exception {
        assertThat(cli.run("scan").exitCode()).isZero();
        try (InstanceLock watcher = InstanceLock.acquire(workspace.resolve(".asset_index/watcher.lock"),
                ProcessIdentity.current())) {
            InProcess.Run run = migrate(elsewhere.resolve("copy.db").toString());
            assertThat(run.exitCode()).isEqualTo(ExitCode.LOCKED);
            assertThat(run.err()).contains("a watcher", "is running on", "stop it before migrating");
        }
    }
}
