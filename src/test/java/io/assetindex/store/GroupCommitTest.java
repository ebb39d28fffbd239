package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.assetindex.config.PostgresUrl;
import io.assetindex.testing.TestPostgres;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit, on SQLite, and on PostgreSQL (the tests' own server) in the run with
 * {@code -Dasset-index.test.backend=postgresql}.
 */
class GroupCommitTest {
    @TempDir
    Path dir;

    private IndexDatabase database;
    private GroupCommit groups;
    private final ExecutorService writers = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        IndexTarget target = TestPostgres.selected()
                ? new IndexTarget.Postgres(PostgresUrl.parse(TestPostgres.newDatabase()), null, null)
                : new IndexTarget.SqliteFile(dir.resolve("index.db"));
        database = IndexDatabase.open(target, 4, Clock.systemUTC());
        database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE written (file TEXT NOT NULL, part INTEGER NOT NULL)");
            }
            return null;
        });
        groups = new GroupCommit(database);
    }

    @AfterEach
    void close() {
        writers.shutdownNow();
        database.close();
    }

    /**
     * A file's writes: two rows; the database refuses the second for a file named "bad" (no part),
     * which in PostgreSQL also aborts the transaction until it is rolled back to the file's savepoint.
     */
    private static IndexDatabase.SqlWork<String> fileWrites(String file) {
        return c -> {
            insert(c, file, 1);
            insert(c, file, file.equals("bad") ? null : 2);
            return file;
        };
    }

    private static void insert(java.sql.Connection c, String file, Integer part) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO written (file, part) VALUES (?, ?)")) {
            insert.setString(1, file);
            insert.setObject(2, part, java.sql.Types.INTEGER);
            insert.executeUpdate();
        }
    }

    private List<String> committed() {
        return database.read(c -> {
            List<String> rows = new ArrayList<>();
            try (Statement query = c.createStatement();
                    java.sql.ResultSet rs = query.executeQuery("SELECT file || ':' || part FROM written ORDER BY file,"
                            + " part")) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        });
    }

    /** Writes {@code files} while a first file's write is held in its transaction, so that they form one group. */
    private List<Future<String>> asOneGroup(List<String> files) {
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch holding = new CountDownLatch(1);
        writers.submit(() -> groups.write(c -> {
            insert(c, "first", 1);
            holding.countDown();
            try {
                held.await();
            } catch (InterruptedException e) {
                throw new SQLException("interrupted", e);
            }
            return "first";
        }));
        await().atMost(Duration.ofSeconds(10)).until(() -> holding.getCount() == 0);
        List<Future<String>> written = new ArrayList<>();
        for (String file : files) {
            written.add(writers.submit(() -> groups.write(fileWrites(file))));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> groups.waiting() == files.size());
        held.countDown();
        return written;
    }

    @Test
    void aFileWrittenAloneIsCommittedBeforeTheCallReturns() {
        assertThat(groups.write(fileWrites("photo.jpg"))).isEqualTo("photo.jpg");

        assertThat(committed()).containsExactly("photo.jpg:1", "photo.jpg:2");
    }

    @Test
    void aFileWhoseWritesFailIsUndoneAloneAndTheOthersOfItsGroupCommit() throws Exception {
        List<Future<String>> written = asOneGroup(List.of("a.jpg", "bad", "c.jpg"));

        assertThat(written.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("a.jpg");
        assertThat(written.get(2).get(10, TimeUnit.SECONDS)).isEqualTo("c.jpg");
        assertThatThrownBy(() -> written.get(1).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(StoreException.class).hasMessageMatching("(?s).*(NOT NULL|not-null) constraint.*");
        assertThat(committed()).containsExactlyInAnyOrder("first:1", "a.jpg:1", "a.jpg:2", "c.jpg:1", "c.jpg:2");
    }

    @Test
    void aFileWhoseServerWentAwayFailsWithThatFailureNotWithTheRollbacksOwn() {
        // As when PostgreSQL stops mid-write: the statement fails with 57P01 (admin shutdown), and by
        // the time the file's savepoint is rolled back the pool has closed the connection.
        assertThatThrownBy(() -> groups.write(c -> {
            insert(c, "gone.jpg", 1);
            c.close();
            throw new SQLException("terminating connection due to administrator command", "57P01");
        })).isInstanceOf(StoreException.class).hasMessageContaining("administrator command")
                .satisfies(e -> assertThat(StoreException.databaseUnreachable(e)).as("the watcher waits for the server")
                        .isTrue());

        assertThat(committed()).isEmpty();
        assertThat(groups.write(fileWrites("next.jpg"))).isEqualTo("next.jpg");
    }

    @Test
    void onSqliteAGroupUndoesItsSavepointsFromMemoryAndEveryOtherTransactionKeepsTempFiles() throws Exception {
        assumeFalse(TestPostgres.selected(), "an SQLite setting");
        // 2 is MEMORY: a savepoint's copies of the pages it changes never go to a temp file
        assertThat(groups.write(GroupCommitTest::tempStore)).isEqualTo(2);
        List<Future<String>> written = asOneGroup(List.of("a.jpg", "bad"));
        assertThat(written.get(0).get(10, TimeUnit.SECONDS)).isEqualTo("a.jpg");
        assertThatThrownBy(() -> written.get(1).get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);

        // every connection of the pool (4), held at once, is back at the default (0: files)
        assertThat(tempStoresOfConnections(4, new ArrayList<>())).containsExactly(0, 0, 0, 0);
        assertThat(database.write(GroupCommitTest::tempStore)).isZero();
    }

    private List<Integer> tempStoresOfConnections(int count, List<Integer> seen) {
        if (count == 0) {
            return seen;
        }
        return database.read(c -> {
            seen.add(tempStore(c));
            return tempStoresOfConnections(count - 1, seen);
        });
    }

    private static int tempStore(java.sql.Connection c) throws SQLException {
        try (Statement query = c.createStatement(); java.sql.ResultSet rs = query.executeQuery("PRAGMA temp_store")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
