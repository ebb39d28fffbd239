package io.assetindex.maintain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.config.Workspace;
import io.assetindex.state.ProcessIdentity;
import io.assetindex.store.DatabaseFiles;
import io.assetindex.store.IndexDatabase;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code restore} killed between any two of its steps: the files are looked at as each step
 * leaves them, which is what a kill -9 there would leave.
 */
class IndexRestoreTest {
    private static final long OLD_ASSETS = 5;

    @TempDir
    Path workspaceDir;
    @TempDir
    Path scratch;

    private Workspace workspace;
    private Path backup;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-21T09:30:00Z"));

    private static void insertAsset(Statement statement, int n) throws SQLException {
        statement.executeUpdate(("INSERT INTO assets (id, file_name, file_path, source_root, media_type, size_bytes,"
                + " mtime, indexed_at) VALUES ('%064x', 'f%d.jpg', '/media/f%d.jpg', 'raw_assets', 'image', 1, 0,"
                + " '2026-01-01T00:00:00.000Z')").formatted(n, n, n));
    }

    /**
     * A backup with 1 asset, and an index of 5 whose last 3 are committed in its write-ahead log
     * only: the files a watcher killed right after those commits leaves.
     */
    @BeforeEach
    void indexWithCommitsOnlyInItsLog() throws Exception {
        workspace = new Workspace(workspaceDir);
        Path built = scratch.resolve("built.db");
        IndexDatabase.open(built, 2, Clock.systemUTC()).close();
        try (Connection connection = withSearchWords(DriverManager.getConnection("jdbc:sqlite:" + built));
                Statement statement = connection.createStatement()) {
            insertAsset(statement, 1);
        }
        backup = scratch.resolve("backup.db");
        DatabaseFiles.copyFile(built, backup);
        try (Connection connection = withSearchWords(DriverManager.getConnection("jdbc:sqlite:" + built));
                Statement statement = connection.createStatement()) {
            insertAsset(statement, 2);
        }
        Files.createDirectories(workspace.dataDir());
        try (Connection connection = withSearchWords(DriverManager.getConnection("jdbc:sqlite:" + built));
                Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA wal_autocheckpoint = 0");
            for (int n = 3; n <= OLD_ASSETS; n++) {
                insertAsset(statement, n);
            }
            Files.copy(built, workspace.databaseFile());
            Files.copy(Path.of(built + "-wal"), Path.of(workspace.databaseFile() + "-wal"));
        }
        assertThat(Files.size(Path.of(workspace.databaseFile() + "-wal"))).isPositive();
    }

    private static long assets(Path database) {
        return SqliteFile.count(database, "SELECT count(*) FROM assets");
    }

    /** The index's files (and kept copies) as they are now, copied aside. */
    private Path snapshot(Path into) throws IOException {
        Files.createDirectories(into);
        try (Stream<Path> files = Files.list(workspace.dataDir())) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file) && name.startsWith("index.db") && !name.endsWith("-shm")) {
                    Files.copy(file, into.resolve(name));
                }
            }
        }
        return into;
    }

    private static List<Path> kept(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith("index.db" + IndexRestore.KEPT_INFIX)
                    && !f.getFileName().toString().endsWith("-wal")).sorted().toList();
        }
    }

    @Test
    void aCrashAtAnyStepOfARestoreLosesNoCommittedRow() throws Exception {
        Map<IndexRestore.Step, Path> snapshots = new LinkedHashMap<>();

        IndexRestore.Result result = IndexRestore.restore(workspace, backup, ProcessIdentity.current(), clock,
                step -> snapshots.put(step, snapshot(scratch.resolve("after-" + step))));

        assertThat(snapshots).containsOnlyKeys(IndexRestore.Step.values());
        snapshots.forEach((step, files) -> {
            try {
                long inPlace = assets(files.resolve("index.db"));
                assertThat(inPlace).as("index.db after " + step).isIn(OLD_ASSETS, 1L);
                if (inPlace != OLD_ASSETS) {
                    assertThat(kept(files)).as("kept after " + step).singleElement()
                            .satisfies(kept -> assertThat(assets(kept)).isEqualTo(OLD_ASSETS));
                }
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(assets(workspace.databaseFile())).isEqualTo(1);
        assertThat(result.kept()).isEqualTo(workspace.dataDir().resolve("index.db.before-restore-2026-11-21T09-30-00Z"));
        assertThat(assets(result.kept())).isEqualTo(OLD_ASSETS);
        assertThat(SqliteFile.value(result.kept(), "PRAGMA integrity_check")).isEqualTo("ok");
    }

    @Test
    void aSecondRestoreKeepsTheFirstKeptIndexAndUsesANameOfItsOwn() throws Exception {
        IndexRestore.Result first = IndexRestore.restore(workspace, backup, ProcessIdentity.current(), clock);
        IndexRestore.Result second = IndexRestore.restore(workspace, backup, ProcessIdentity.current(), clock);

        assertThat(second.kept()).isNotEqualTo(first.kept())
                .isEqualTo(workspace.dataDir().resolve("index.db.before-restore-2026-11-21T09-30-00Z-2"));
        assertThat(assets(first.kept())).isEqualTo(OLD_ASSETS);
        assertThat(assets(second.kept())).isEqualTo(1);
        assertThat(kept(workspace.dataDir())).containsExactly(first.kept(), second.kept());
    }

    @Test
    void anotherProgramReadingTheIndexStopsTheRestoreBeforeAnythingIsRemoved() throws Exception {
        try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + workspace.databaseFile());
                Statement statement = reader.createStatement()) {
            reader.setAutoCommit(false);
            statement.executeQuery("SELECT count(*) FROM assets").close(); // holds a read transaction on the log

            assertThatThrownBy(() -> IndexRestore.restore(workspace, backup, ProcessIdentity.current(), clock))
                    .isInstanceOf(MaintenanceException.class)
                    .hasMessageContaining("another program has")
                    .hasMessageContaining("nothing was restored");
            reader.rollback();
        }
        assertThat(assets(workspace.databaseFile())).isEqualTo(OLD_ASSETS);
        assertThat(kept(workspace.dataDir())).isEmpty();
    }

    /** The keyword index's triggers call functions that asset-index's connections know (see SearchWords). */
    private static Connection withSearchWords(Connection connection) throws java.sql.SQLException {
        io.assetindex.store.SearchWords.register(connection);
        return connection;
    }
}
