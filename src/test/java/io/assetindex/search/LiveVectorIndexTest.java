package io.assetindex.search;

import static io.assetindex.testing.VectorAssets.id;
import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.search.VectorIndex.Hit;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.Vectors;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.VectorAssets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory vectors of a running service follow what any writer commits (rows written here
 * with SQL, as another process would), and search exactly like vectors loaded at once.
 */
class LiveVectorIndexTest {
    private static final int DIMENSION = 8;

    @TempDir
    Path folder;

    private Path file;
    private IndexDatabase database;
    private LiveVectorIndex live;
    private final ExecutorService pool = Executors.newFixedThreadPool(2);
    private final Random random = new Random(7);

    @BeforeEach
    void open() {
        file = folder.resolve("index.db");
        database = IndexDatabase.open(file, 3, Clock.systemUTC());
        SqliteFile.execute(file, "INSERT INTO embedding_models (config_hash, model, dimension, identity_json, state,"
                + " created_at) VALUES ('sha256:m1', 'test-model', ?, '{}', 'active', '2026-01-01T00:00:00.000Z')",
                DIMENSION);
        addAssets(0, 300);
        live = LiveVectorIndex.open(new IndexReader(database));
    }

    @AfterEach
    void close() {
        live.close();
        database.close();
        pool.shutdownNow();
    }

    private float[] randomVector() {
        float[] vector = new float[DIMENSION];
        for (int d = 0; d < DIMENSION; d++) {
            vector[d] = (float) random.nextGaussian();
        }
        return vector;
    }

    private void addAsset(int n, float[] vector) {
        database.write(c -> {
            VectorAssets.insert(c, n, vector);
            return null;
        });
    }

    /** Assets {@code from} to {@code to} (exclusive) with random vectors, in one transaction. */
    private void addAssets(int from, int to) {
        database.write(c -> {
            for (int n = from; n < to; n++) {
                VectorAssets.insert(c, n, randomVector());
            }
            return null;
        });
    }

    /** What a search loading every vector at once finds: the reference. */
    private List<Hit> loadedAtOnce(float[] query, int k) {
        IndexReader reader = new IndexReader(database);
        VectorIndex.Builder builder = VectorIndex.builder(DIMENSION, 400);
        reader.activeVectors(builder::add);
        VectorIndex index = builder.build();
        return index.search(query, k, Metric.COSINE, index.live(), reader::activeVectorsById, pool, 2);
    }

    private List<Hit> searchLive(float[] query, int k) {
        return live.current().search(query, k, Metric.COSINE, null, Set.of(), new IndexReader(database)::activeVectorsById,
                pool, 2).hits();
    }

    @Test
    void aSearchRightAfterOpeningWaitsForTheFirstLoadAndSeesEveryVector() {
        try (LiveVectorIndex opened = LiveVectorIndex.open(new IndexReader(database))) {
            assertThat(opened.current().searchable()).isEqualTo(live.current().searchable()).isPositive();
            assertThat(opened.current().size()).isEqualTo(live.current().size());
        }
    }

    @Test
    void newChangedAndDeletedVectorsAndPathsAreFollowedAndSearchStaysExact() {
        float[] query = randomVector();
        addAsset(1000, query); // a new asset exactly at the query
        SqliteFile.execute(file, "UPDATE assets_vec SET embedding = ? WHERE id = ?", Vectors.pack(query), id(5));
        SqliteFile.execute(file, "UPDATE asset_paths SET deleted_at = '2026-01-02T00:00:00.000Z' WHERE asset_id = ?",
                id(1000));
        SqliteFile.execute(file, "DELETE FROM assets_vec WHERE id = ?", id(7));

        live.refresh();

        List<Hit> hits = searchLive(query, 10);
        assertThat(hits).isEqualTo(loadedAtOnce(query, 10));
        assertThat(hits.get(0).id()).as("the changed vector, now equal to the query").isEqualTo(id(5));
        assertThat(hits).extracting(Hit::id).doesNotContain(id(1000), id(7));
        assertThat(live.current().searchable()).isEqualTo(299);

        SqliteFile.execute(file, "UPDATE asset_paths SET deleted_at = NULL WHERE asset_id = ?", id(1000));
        live.refresh();
        assertThat(searchLive(query, 2)).extracting(Hit::id).containsExactlyInAnyOrder(id(5), id(1000));
    }

    @Test
    void aFilterAndExclusionsApplyToTheBaseAndTheChangedVectorsAlike() {
        float[] query = randomVector();
        addAsset(2000, query);
        live.refresh();
        List<String> only = IntStream.of(2000, 10, 11, 12).mapToObj(VectorAssets::id).toList();

        VectorSnapshot.Result found = live.current().search(query, 10, Metric.L2, only, Set.of(id(10)),
                new IndexReader(database)::activeVectorsById, pool, 2);

        assertThat(found.searched()).isEqualTo(3);
        assertThat(found.hits()).extracting(Hit::id).containsExactly(id(2000), found.hits().get(1).id(),
                found.hits().get(2).id());
        assertThat(found.hits()).extracting(Hit::id).containsOnly(id(2000), id(11), id(12));
    }

    @Test
    void aModelPromotedReplacesEveryVector() {
        SqliteFile.execute(file, "DELETE FROM assets_vec");
        SqliteFile.execute(file, "UPDATE embedding_models SET model = 'other', dimension = 4");
        SqliteFile.execute(file, "INSERT INTO assets_vec (id, embedding) VALUES (?, ?)", id(3),
                Vectors.pack(new float[] {1, 0, 0, 0}));

        live.refresh();

        assertThat(live.current().model().model()).isEqualTo("other");
        assertThat(live.current().dimension()).isEqualTo(4);
        assertThat(live.current().searchable()).isEqualTo(1);
    }

    @Test
    void manyChangesAreFoldedIntoANewBaseAndSearchStaysExact() {
        addAssets(300, 300 + LiveVectorIndex.MIN_DELTA_TO_COMPACT + 10);

        live.refresh();

        assertThat(live.current().delta().size()).as("folded into the base").isZero();
        float[] query = randomVector();
        assertThat(searchLive(query, 20)).isEqualTo(loadedAtOnce(query, 20));
    }
}
