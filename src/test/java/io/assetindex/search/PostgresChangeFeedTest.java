package io.assetindex.search;

import static io.assetindex.testing.VectorAssets.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.assetindex.config.PostgresUrl;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.IndexStore;
import io.assetindex.store.IndexTarget;
import io.assetindex.testing.TestPostgres;
import io.assetindex.testing.VectorAssets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A service's in-memory vectors follow what several writers commit to one PostgreSQL database,
 * whatever order their transactions commit in: the change feed gives sequence numbers before
 * commit, so a transaction held open commits smaller numbers after others' larger ones.
 */
class PostgresChangeFeedTest {
    private static final int DIMENSION = 4;

    private final String url = TestPostgres.newDatabase();
    private IndexDatabase database;
    private LiveVectorIndex live;
    private final Random random = new Random(17);

    @BeforeEach
    void open() throws SQLException {
        database = IndexDatabase.open(new IndexTarget.Postgres(PostgresUrl.parse(url), null, null), 4,
                Clock.systemUTC());
        try (Connection c = TestPostgres.connect(url); Statement s = c.createStatement()) {
            s.execute("INSERT INTO embedding_models (config_hash, model, dimension, identity_json, state, created_at)"
                    + " VALUES ('sha256:m1', 'test-model', " + DIMENSION + ", '{}', 'active', '2026-01-01T00:00:00.000Z')");
            for (int n = 0; n < 10; n++) {
                VectorAssets.insert(c, n, vector());
            }
        }
        live = LiveVectorIndex.open(new IndexReader(database));
        live.current();
    }

    @AfterEach
    void close() {
        live.close();
        database.close();
    }

    private synchronized float[] vector() {
        float[] vector = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    @Test
    void aTransactionThatCommitsAfterLaterOnesIsFollowedAll() throws SQLException {
        try (Connection held = TestPostgres.connect(url); Connection other = TestPostgres.connect(url)) {
            held.setAutoCommit(false);
            VectorAssets.insert(held, 100, vector()); // takes the smaller sequence numbers, commits last
            for (int n = 101; n <= 105; n++) {
                VectorAssets.insert(other, n, vector());
            }
            execute(other, "DELETE FROM assets_vec WHERE id = ?", id(3));

            live.refresh();
            assertThat(searchableIsCommitted()).as("what has committed, at once, nothing of the open transaction")
                    .doesNotContain(id(100), id(3)).contains(id(105));
            VectorSnapshot whileOpen = live.current();
            live.refresh();
            assertThat(live.current().position()).as("held back by the open transaction")
                    .isEqualTo(whileOpen.position());
            assertThat(live.current().delta()).as("nothing applied twice").isSameAs(whileOpen.delta());

            held.commit();
            live.refresh();
            assertThat(searchableIsCommitted()).contains(id(100));
        }
    }

    @Test
    void anotherWritersCommitIsSearchableWithinAFewPollsWhileAnOlderTransactionStaysOpen() throws SQLException {
        try (Connection held = TestPostgres.connect(url); Connection other = TestPostgres.connect(url)) {
            held.setAutoCommit(false);
            VectorAssets.insert(held, 300, vector());
            VectorAssets.insert(other, 301, vector());

            await().atMost(Duration.ofSeconds(2)).until(() -> live.current().delta().slotOf(id(301)) >= 0);
            held.rollback();
        }
    }

    @Test
    void concurrentWritersHoldingTransactionsOpenEndWithExactlyTheCommittedVectors() throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                running.add(pool.submit(() -> write(writer, 30)));
            }
            while (running.stream().anyMatch(f -> !f.isDone())) {
                live.refresh(); // reads the feed while transactions are open and commit out of order
            }
            for (Future<?> writer : running) {
                writer.get(1, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        live.refresh();
        assertThat(searchableIsCommitted()).hasSizeGreaterThan(50);
    }

    @Test
    void aServiceBehindTheTrimmedFeedLoadsEverythingAgain() throws SQLException {
        live.refresh();
        VectorSnapshot before = live.current();
        try (Connection c = TestPostgres.connect(url)) {
            for (int n = 200; n < 210; n++) {
                VectorAssets.insert(c, n, vector());
            }
            execute(c, "DELETE FROM assets_vec WHERE id = ?", id(1));
        }
        assertThat(new IndexStore(database, Clock.systemUTC()).trimChanges(Instant.now().plusSeconds(60))).isPositive();

        live.refresh();

        assertThat(live.current().base()).as("loaded again").isNotSameAs(before.base());
        assertThat(searchableIsCommitted()).contains(id(209)).doesNotContain(id(1));
    }

    /**
     * One writer's transactions: each adds one to three assets, and may delete a vector or a path
     * it wrote before, hold the transaction open a little, or roll it back.
     */
    private Void write(int writer, int transactions) throws SQLException, InterruptedException {
        Random dice = new Random(writer);
        List<Integer> written = new ArrayList<>();
        try (Connection c = TestPostgres.connect(url)) {
            c.setAutoCommit(false);
            for (int t = 0; t < transactions; t++) {
                List<Integer> added = new ArrayList<>();
                for (int i = 0; i <= dice.nextInt(3); i++) {
                    int n = 1_000 * (writer + 1) + t * 3 + i;
                    VectorAssets.insert(c, n, vector());
                    added.add(n);
                }
                if (!written.isEmpty() && dice.nextInt(4) == 0) {
                    execute(c, "DELETE FROM assets_vec WHERE id = ?", id(written.get(dice.nextInt(written.size()))));
                }
                if (!written.isEmpty() && dice.nextInt(4) == 0) {
                    execute(c, "UPDATE asset_paths SET deleted_at = '2026-01-02T00:00:00.000Z' WHERE asset_id = ?",
                            id(written.get(dice.nextInt(written.size()))));
                }
                Thread.sleep(dice.nextInt(40)); // held open while other writers commit
                if (dice.nextInt(6) == 0) {
                    c.rollback();
                } else {
                    c.commit();
                    written.addAll(added);
                }
            }
        }
        return null;
    }

    private static void execute(Connection c, String sql, String id) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            statement.setString(1, id);
            statement.executeUpdate();
        }
    }

    /**
     * Checks that a search of the service's vectors now may return exactly the committed vectors
     * with a live path, each as committed; returns their ids.
     */
    private Set<String> searchableIsCommitted() {
        Map<String, byte[]> committed = new HashMap<>();
        new IndexReader(database).activeVectors((id, packed, isLive, shape) -> {
            if (isLive) {
                committed.put(id, packed);
            }
        });
        VectorSnapshot snapshot = live.current();
        Map<String, Boolean> searchable = new HashMap<>();
        holding(snapshot.base(), snapshot.baseSearchable(), committed, searchable);
        holding(snapshot.delta(), snapshot.deltaSearchable(), committed, searchable);
        assertThat(searchable.keySet()).isEqualTo(committed.keySet());
        assertThat(searchable).as("each vector as committed").doesNotContainValue(false);
        return searchable.keySet();
    }

    /** For each searchable slot of {@code index}, whether it holds the committed vector of its id. */
    private static void holding(VectorIndex index, BitSet searchable, Map<String, byte[]> committed,
            Map<String, Boolean> into) {
        for (int slot = searchable.nextSetBit(0); slot >= 0; slot = searchable.nextSetBit(slot + 1)) {
            String id = index.idAt(slot);
            Boolean previous = into.put(id, committed.containsKey(id) && index.holds(slot, committed.get(id)));
            assertThat(previous).as("searchable once: " + id).isNull();
        }
    }
}
