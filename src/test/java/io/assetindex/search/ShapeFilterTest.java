package io.assetindex.search;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.SearchFilter;
import io.assetindex.store.Vectors;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search's shape conditions (type, duration range, minimum width and height) are checked in
 * memory; they must allow exactly the assets the index's SQL allows, for every combination, with
 * unknown values, boundaries and durations that are not exact in binary.
 */
class ShapeFilterTest {
    private static final int DIMENSION = 4;
    private static final List<Double> DURATIONS = List.of(0.0, 0.1, 1.1, 2.5, 29.999, 30.0, 120.7);
    private static final List<Integer> SIZES = List.of(0, 1, 639, 640, 1920);

    @TempDir
    Path folder;

    private IndexDatabase database;
    private LiveVectorIndex live;

    @BeforeEach
    void open() {
        database = IndexDatabase.open(folder.resolve("index.db"), 3, Clock.systemUTC());
        Random random = new Random(3);
        database.write(c -> {
            try (PreparedStatement model = c.prepareStatement("INSERT INTO embedding_models (config_hash, model,"
                    + " dimension, identity_json, state, created_at) VALUES ('sha256:m', 'm', ?, '{}', 'active',"
                    + " '2026-01-01T00:00:00.000Z')");
                    PreparedStatement asset = c.prepareStatement("INSERT INTO assets (id, file_name, file_path,"
                            + " source_root, media_type, size_bytes, mtime, width, height, duration_seconds, indexed_at)"
                            + " VALUES (?, 'f', '/f', 'raw', ?, 1, 0, ?, ?, ?, '2026-01-01T00:00:00.000Z')");
                    PreparedStatement path = c.prepareStatement("INSERT INTO asset_paths (asset_id, source_root,"
                            + " rel_path, abs_path, size_bytes, mtime_ns, first_seen_at, last_seen_at, deleted_at)"
                            + " VALUES (?, 'raw', ?, '/f', 1, 0, 'x', 'x', ?)");
                    PreparedStatement vector = c.prepareStatement("INSERT INTO assets_vec (id, embedding) VALUES (?, ?)")) {
                model.setInt(1, DIMENSION);
                model.executeUpdate();
                for (int n = 0; n < 400; n++) {
                    String id = String.format("%064x", n + 1);
                    asset.setString(1, id);
                    asset.setString(2, MediaType.values()[n % 3].id());
                    asset.setObject(3, n % 7 == 0 ? null : SIZES.get(random.nextInt(SIZES.size())));
                    asset.setObject(4, n % 11 == 0 ? null : SIZES.get(random.nextInt(SIZES.size())));
                    asset.setObject(5, n % 5 == 0 ? null : DURATIONS.get(random.nextInt(DURATIONS.size())));
                    asset.executeUpdate();
                    path.setString(1, id);
                    path.setString(2, "p" + n);
                    path.setString(3, n % 13 == 0 ? "gone" : null);
                    path.executeUpdate();
                    vector.setString(1, id);
                    vector.setBytes(2, Vectors.pack(new float[] {random.nextFloat(), 1, 2, 3}));
                    vector.executeUpdate();
                }
            }
            return null;
        });
        live = LiveVectorIndex.open(new IndexReader(database));
    }

    @AfterEach
    void close() {
        live.close();
        database.close();
    }

    @Test
    void everyShapeConditionAllowsWhatTheSqlAllows() {
        IndexReader reader = new IndexReader(database);
        VectorSnapshot snapshot = live.current();
        List<MediaType> types = new ArrayList<>(List.of(MediaType.values()));
        types.add(null);
        List<Double> bounds = new ArrayList<>(DURATIONS);
        bounds.add(null);
        List<Integer> pixels = new ArrayList<>(SIZES);
        pixels.add(null);
        int checked = 0;
        for (MediaType type : types) {
            for (Double min : bounds) {
                for (Double max : bounds) {
                    if (min != null && max != null && min > max) {
                        continue;
                    }
                    for (Integer width : pixels) {
                        Integer height = pixels.get(checked % pixels.size());
                        SearchFilter filter = new SearchFilter(type, min, max, width, height, null, null, List.of(),
                                null, null, null);
                        BitSet inMemory = snapshot.allowed(filter, null).base();
                        BitSet bySql = snapshot.allowed(SearchFilter.NONE, reader.matching(filter)).base();
                        assertThat(inMemory).as(filter.toString()).isEqualTo(bySql);
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void shapeAndOtherConditionsTogetherAllowWhatTheSqlAllows() {
        IndexReader reader = new IndexReader(database);
        VectorSnapshot snapshot = live.current();
        SearchFilter filter = new SearchFilter(MediaType.VIDEO, 1.1, 30.0, 640, null, "raw", null, List.of(), "p1",
                null, null);
        BitSet combined = snapshot.allowed(filter, reader.matching(filter.withoutShape())).base();
        assertThat(combined).isEqualTo(snapshot.allowed(SearchFilter.NONE, reader.matching(filter)).base());
        assertThat(combined.cardinality()).isPositive();
    }

    @Test
    void aFilterWorkedOutOnceFollowsTheChangesExactly() {
        IndexReader reader = new IndexReader(database);
        SearchFilter filter = new SearchFilter(MediaType.IMAGE, null, null, 1, null, "raw", null, List.of(), "p1",
                null, null);
        SearchFilter rest = filter.withoutShape();
        SearchFilter tagged = new SearchFilter(null, null, null, null, null, null, null, List.of("sea"), null, null,
                null);
        VectorSnapshot before = live.current();
        VectorSnapshot.Allowed allowed = before.allowed(filter, reader.matching(rest));
        VectorSnapshot.Allowed allowedTagged = before.allowed(tagged, reader.matching(tagged));
        // New assets (some matching), a path deleted, a path moved out of the root, a vector replaced.
        database.write(c -> {
            try (var s = c.createStatement()) {
                for (int n = 400; n < 430; n++) {
                    String id = String.format("'%064x'", n + 1);
                    s.execute("INSERT INTO assets (id, file_name, file_path, source_root, media_type, size_bytes, mtime,"
                            + " width, height, indexed_at) VALUES (" + id + ", 'f', '/f', 'raw', '"
                            + (n % 2 == 0 ? "image" : "video") + "', 1, 0, 640, 480, 'x')");
                    s.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes, mtime_ns,"
                            + " first_seen_at, last_seen_at) VALUES (" + id + ", 'raw', 'p1" + n + "', '/f', 1, 0, 'x', 'x')");
                    s.execute("INSERT INTO assets_vec (id, embedding) VALUES (" + id + ", x'0000803f0000803f0000803f0000803f')");
                }
                s.execute("UPDATE asset_paths SET deleted_at = 'y' WHERE rel_path IN ('p10', 'p100', 'p106')");
                s.execute("UPDATE assets SET tags_json = '[\"sea\"]' WHERE rowid % 50 = 3");
                s.execute("UPDATE asset_paths SET source_root = 'other' WHERE rel_path IN ('p12', 'p103')");
                s.execute("UPDATE assets_vec SET embedding = x'0000803f000000000000000000000000' WHERE id IN"
                        + " (SELECT asset_id FROM asset_paths WHERE rel_path IN ('p1', 'p109'))");
            }
            return null;
        });
        live.refresh();
        VectorSnapshot after = live.current();
        assertThat(after.base()).isSameAs(before.base());
        assertThat(after.position()).isGreaterThan(before.position());
        Set<String> changed = reader.changedAssets(before.position(), after.position(), 1_000).orElseThrow();
        VectorSnapshot.Allowed followed = after.updated(before, allowed, filter, changed,
                reader.matchingAmong(rest, changed));
        VectorSnapshot.Allowed fresh = after.allowed(filter, reader.matching(rest));
        assertThat(followed).isEqualTo(fresh);
        assertThat(fresh.delta().cardinality()).isPositive();
        assertThat(fresh.count()).isNotEqualTo(allowed.count());
        VectorSnapshot.Allowed followedTagged = after.updated(before, allowedTagged, tagged, changed,
                reader.matchingAmong(tagged, changed));
        assertThat(followedTagged).isEqualTo(after.allowed(tagged, reader.matching(tagged)));
        assertThat(followedTagged.count()).isGreaterThan(allowedTagged.count());
    }
}
