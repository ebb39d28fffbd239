package io.assetindex.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.search.VectorIndex.Hit;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.Vectors;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The index against a brute-force scan in double precision: the same top-k, always. */
class VectorIndexTest {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);

    @AfterAll
    static void stop() {
        POOL.shutdown();
    }

    private static String id(int n) {
        byte[] bytes = new byte[32];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) (n >>> (24 - 8 * i));
        }
        return HexFormat.of().formatHex(bytes);
    }

    private static float[][] randomVectors(int count, int dimension, long seed) {
        Random random = new Random(seed);
        float[][] vectors = new float[count][dimension];
        for (float[] vector : vectors) {
            for (int i = 0; i < dimension; i++) {
                vector[i] = (float) random.nextGaussian();
            }
        }
        return vectors;
    }

    /** The float32 vectors by id, as the index's table gives them for the exact scoring. */
    private static VectorIndex.ExactVectors exact(float[][] vectors) {
        return ids -> {
            java.util.Map<String, float[]> out = new java.util.HashMap<>();
            for (String id : ids) {
                int n = java.nio.ByteBuffer.wrap(HexFormat.of().parseHex(id.substring(0, 8))).getInt();
                out.put(id, vectors[n]);
            }
            return out;
        };
    }

    private static VectorIndex index(float[][] vectors) {
        VectorIndex.Builder builder = VectorIndex.builder(vectors[0].length, 10);
        for (int i = 0; i < vectors.length; i++) {
            builder.add(id(i), Vectors.pack(vectors[i]), true);
        }
        return builder.build();
    }

    /** The reference: every distance in double precision, sorted, ties by id. */
    private static List<Hit> bruteForce(float[][] vectors, float[] query, int k, Metric metric, BitSet allowed) {
        List<Hit> all = new ArrayList<>();
        for (int i = allowed.nextSetBit(0); i >= 0; i = allowed.nextSetBit(i + 1)) {
            double dot = 0, vv = 0, qq = 0, l2 = 0;
            for (int d = 0; d < query.length; d++) {
                dot += (double) query[d] * vectors[i][d];
                vv += (double) vectors[i][d] * vectors[i][d];
                qq += (double) query[d] * query[d];
                double diff = (double) query[d] - vectors[i][d];
                l2 += diff * diff;
            }
            double cosine = vv == 0 || qq == 0 ? 1 : 1 - dot / (Math.sqrt(qq) * Math.sqrt(vv)); // zero: unrelated
            all.add(new Hit(id(i), metric == Metric.COSINE ? cosine : Math.sqrt(l2)));
        }
        all.sort(Comparator.comparingDouble(Hit::distance).thenComparing(Hit::id));
        return all.subList(0, Math.min(k, all.size()));
    }

    private static BitSet all(int count) {
        BitSet set = new BitSet();
        set.set(0, count);
        return set;
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void topKEqualsTheBruteForceReference(Metric metric) {
        float[][] vectors = randomVectors(5000, 96, 1);
        VectorIndex index = index(vectors);
        for (long seed = 0; seed < 20; seed++) {
            float[] query = randomVectors(1, 96, 100 + seed)[0];
            List<Hit> hits = index.search(query, 10, metric, index.live(), exact(vectors), POOL, 3);
            List<Hit> reference = bruteForce(vectors, query, 10, metric, all(5000));
            assertThat(hits).extracting(Hit::id).containsExactlyElementsOf(reference.stream().map(Hit::id).toList());
            for (int i = 0; i < hits.size(); i++) {
                assertThat(hits.get(i).distance()).isEqualTo(reference.get(i).distance());
            }
        }
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 3, 7, 1536})
    void dimensionsNotAMultipleOfFourAndLargeOnesToo(int dimension) {
        float[][] vectors = randomVectors(2500, dimension, dimension);
        VectorIndex index = index(vectors);
        for (long seed = 0; seed < 5; seed++) {
            float[] query = randomVectors(1, dimension, 200 + seed)[0];
            for (Metric metric : Metric.values()) {
                assertThat(index.search(query, 7, metric, index.live(), exact(vectors), POOL, 3)).extracting(Hit::id)
                        .containsExactlyElementsOf(bruteForce(vectors, query, 7, metric, all(2500)).stream()
                                .map(Hit::id).toList());
            }
        }
    }

    @Test
    void aBuilderHandsItsArraysToTheIndexAndCannotAddAfterwards() {
        VectorIndex.Builder builder = VectorIndex.builder(2, 2);
        builder.add(String.format("%064x", 1), Vectors.pack(new float[] {1, 0}), true);
        builder.add(String.format("%064x", 2), Vectors.pack(new float[] {0, 1}), true);
        VectorIndex index = builder.build();
        assertThatThrownBy(() -> builder.add(String.format("%064x", 3), Vectors.pack(new float[] {1, 1}), true))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.idAt(1)).isEqualTo(String.format("%064x", 2));
    }

    @Test
    void aZeroQueryOrZeroVectorsAreAtDistanceOneAndTiesGoById() {
        float[][] vectors = randomVectors(300, 8, 9);
        vectors[5] = new float[8];
        VectorIndex index = index(vectors);
        List<Hit> hits = index.search(new float[8], 3, Metric.COSINE, index.live(), exact(vectors), POOL, 2);
        assertThat(hits).extracting(Hit::id).containsExactly(id(0), id(1), id(2));
        assertThat(hits).extracting(Hit::distance).containsOnly(1.0);
        assertThat(index.search(vectors[6], 300, Metric.COSINE, index.live(), exact(vectors), POOL, 2)).extracting(Hit::id)
                .containsExactlyElementsOf(bruteForce(vectors, vectors[6], 300, Metric.COSINE, all(300)).stream()
                        .map(Hit::id).toList());
    }

    @Test
    void manyExactTiesAreResolvedByIdLikeTheReference() {
        float[][] vectors = randomVectors(3000, 32, 2);
        float[] twin = vectors[7];
        for (int i = 100; i < 1300; i++) {
            vectors[i] = twin.clone(); // 1,200 identical vectors: far more than the scan keeps
        }
        VectorIndex index = index(vectors);
        List<Hit> hits = index.search(twin, 25, Metric.COSINE, index.live(), exact(vectors), POOL, 2);
        assertThat(hits).extracting(Hit::id)
                .containsExactlyElementsOf(bruteForce(vectors, twin, 25, Metric.COSINE, all(3000)).stream().map(Hit::id).toList());
        assertThat(hits.get(0).id()).isEqualTo(id(7));
    }

    @Test
    void aLargeBandIsReadInPartsOnThePoolAndAReadErrorReachesTheCaller() {
        float[][] vectors = randomVectors(3000, 32, 2);
        float[] twin = vectors[7];
        for (int i = 100; i < 1300; i++) {
            vectors[i] = twin.clone();
        }
        VectorIndex index = index(vectors);
        VectorIndex.ExactVectors all = exact(vectors);
        List<Integer> readSizes = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.Set<String> readers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        VectorIndex.ExactVectors watched = ids -> {
            readSizes.add(ids.size());
            readers.add(Thread.currentThread().getName());
            return all.of(ids);
        };
        List<Hit> inParts = index.search(twin, 25, Metric.COSINE, index.live(), watched, POOL, 2);
        assertThat(readSizes).hasSize(2);
        assertThat(readSizes.get(0) + readSizes.get(1)).isGreaterThan(1_000); // every tie is in the band
        assertThat(readers).noneMatch(name -> name.equals(Thread.currentThread().getName()));
        assertThat(inParts).isEqualTo(index.search(twin, 25, Metric.COSINE, index.live(), all, POOL, 1));

        readSizes.clear();
        index.search(vectors[2000], 5, Metric.COSINE, index.live(), watched, POOL, 2);
        assertThat(readSizes).as("a small band is read at once").hasSize(1);

        IllegalStateException gone = new IllegalStateException("the index is gone");
        assertThatThrownBy(() -> index.search(twin, 25, Metric.COSINE, index.live(), ids -> {
            throw gone;
        }, POOL, 2)).isSameAs(gone);
    }

    @Test
    void onlyAllowedSlotsAreReturnedAndAllOfThemWhenFewerThanK() {
        float[][] vectors = randomVectors(2000, 16, 3);
        VectorIndex index = index(vectors);
        BitSet allowed = new BitSet();
        for (int i = 0; i < 2000; i += 97) {
            allowed.set(i);
        }
        float[] query = randomVectors(1, 16, 4)[0];
        List<Hit> hits = index.search(query, 50, Metric.L2, allowed, exact(vectors), POOL, 2);
        assertThat(hits).hasSize(allowed.cardinality());
        assertThat(hits).extracting(Hit::id).containsExactlyElementsOf(
                bruteForce(vectors, query, 50, Metric.L2, allowed).stream().map(Hit::id).toList());
    }

    @Test
    void idsAreFoundBySlotAndVectorsRecognized() {
        float[][] vectors = randomVectors(70_000, 8, 5); // many tiles, the last one narrower
        VectorIndex index = index(vectors);
        assertThat(index.slotOf(id(69_999))).isEqualTo(69_999);
        assertThat(index.slotOf(id(65_536))).isEqualTo(65_536);
        assertThat(index.slotOf(id(70_001))).isEqualTo(-1);
        assertThat(index.idAt(12_345)).isEqualTo(id(12_345));
        assertThat(index.holds(65_537, Vectors.pack(vectors[65_537]))).isTrue();
        assertThat(index.holds(69_999, Vectors.pack(vectors[69_999]))).isTrue();
        assertThat(index.holds(0, Vectors.pack(vectors[1]))).isFalse();
    }

    /** The tiles' integer sums: the same sums as plain arithmetic, for any dimension and width. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"384, 4096", "7, 37", "1, 1", "5, 4095", "9, 50", "12, 3"})
    void packedTileSumsAreExactForAnyDimensionAndWidth(int dimension, int width) {
        Random random = new Random(dimension * 31L + width);
        byte[][] tile = new byte[dimension][width];
        for (byte[] row : tile) {
            for (int j = 0; j < width; j++) {
                row[j] = (byte) (random.nextInt(255) - 127); // -127 to 127, the extremes included
            }
        }
        tile[0][0] = -127;
        tile[dimension - 1][width - 1] = 127;
        int[] query = new int[(dimension + 3) / 4 * 4];
        for (int d = 0; d < dimension; d++) {
            query[d] = random.nextBoolean() ? 32_767 : -32_767 + random.nextInt(65_535);
        }
        int[] sums = new int[width];
        VectorIndex.sums(VectorIndex.pack(tile, width), query, sums);
        for (int j = 0; j < width; j++) {
            long expected = 0;
            for (int d = 0; d < dimension; d++) {
                expected += (long) query[d] * tile[d][j];
            }
            assertThat(sums[j]).as("slot %d", j).isEqualTo(expected);
        }
    }

    @Test
    void memoryIsAQuarterOfTheRawSizeAndABitMore() {
        VectorIndex index = index(randomVectors(10_000, 384, 6));
        assertThat((double) index.memoryBytes() / index.rawBytes()).isBetween(0.25, 0.30);
    }

    @Test
    void vectorOfAnotherDimensionIsRefused() {
        VectorIndex.Builder builder = VectorIndex.builder(384, 1);
        assertThatThrownBy(() -> builder.add(id(1), Vectors.pack(new float[1536]), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1536 dimensions in a 384-dimension");
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void int8CodesLoseNothingOnEmbeddingLikeVectorsInTightClusters(Metric metric) {
        // Unit vectors in 300 tight clusters (near-duplicates, as re-encoded media give): many
        // scores closer together than the codes can tell apart, so the exact re-scoring decides.
        int count = 20_000;
        int dimension = 384;
        Random random = new Random(11);
        float[][] centres = randomVectors(300, dimension, 12);
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] vector = centres[random.nextInt(centres.length)].clone();
            for (int d = 0; d < dimension; d++) {
                vector[d] += (float) (random.nextGaussian() * 0.01);
            }
            vectors[i] = unit(vector);
        }
        VectorIndex index = index(vectors);
        for (int q = 0; q < 100; q++) {
            float[] query = q % 2 == 0 ? unit(randomVectors(1, dimension, 1000 + q)[0]) : vectors[random.nextInt(count)];
            assertTopTenIsExact(index, vectors, query, metric, all(count), exact(vectors), q);
        }
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void aVectorIsScoredExactlyOnlyWhenItsQuantizationErrorsLengthLetsItReachTheTopK(Metric metric) {
        // Embedding-like unit vectors, 384 dimensions, in shoots around themes: the quantization's
        // bound by |e|_2 x |q|_2 is tighter than by err x |q|_1 for such vectors, so fewer candidates
        // are read (a mean of 23.1 per search here, 30.6 by err x |q|_1 alone).
        int count = 20_000;
        int dimension = 384;
        Random random = new Random(31);
        float[][] vectors = inShoots(count, randomVectors(100, dimension, 32), random);
        VectorIndex index = index(vectors);
        VectorIndex.ExactVectors stored = exact(vectors);
        java.util.concurrent.atomic.AtomicInteger read = new java.util.concurrent.atomic.AtomicInteger();
        VectorIndex.ExactVectors counted = ids -> {
            read.addAndGet(ids.size());
            return stored.of(ids);
        };
        int queries = 60;
        for (int q = 0; q < queries; q++) {
            assertTopTenIsExact(index, vectors, query(q, vectors, 4000, random), metric, all(count), counted, q);
        }
        assertThat((double) read.get() / queries).isLessThan(27);
    }

    @ParameterizedTest
    @EnumSource(Metric.class)
    void clusteredVectorsInManyTilesUnderAFilterGiveTheExactTopK(Metric metric) {
        // Embedding-like unit vectors in 25 tiles, the last one narrower: 200 themes with shoots
        // around them, as MillionBenchmark makes (cosine about 0.8 within a shoot), three in four allowed.
        int count = 100_001;
        int dimension = 130;
        Random random = new Random(21);
        float[][] vectors = inShoots(count, randomVectors(200, dimension, 22), random);
        VectorIndex index = index(vectors);
        BitSet allowed = new BitSet();
        for (int i = 0; i < count; i++) {
            if (i % 4 != 1) {
                allowed.set(i);
            }
        }
        for (int q = 0; q < 40; q++) {
            assertTopTenIsExact(index, vectors, query(q, vectors, 3000, random), metric, allowed, exact(vectors), q);
        }
    }

    /** Query q of a run: a random unit vector when q is even, else one near a random stored vector. */
    private static float[] query(int q, float[][] vectors, long seed, Random random) {
        return q % 2 == 0 ? unit(randomVectors(1, vectors[0].length, seed + q)[0])
                : near(vectors[random.nextInt(vectors.length)], 0.03, random);
    }

    /** The index's top 10 among the allowed slots: the brute-force reference's ids, in its order. */
    private static void assertTopTenIsExact(VectorIndex index, float[][] vectors, float[] query, Metric metric,
            BitSet allowed, VectorIndex.ExactVectors exact, int q) {
        List<String> reference = bruteForce(vectors, query, 10, metric, allowed).stream().map(Hit::id).toList();
        assertThat(index.search(query, 10, metric, allowed, exact, POOL, 3)).extracting(Hit::id).as("query %d", q)
                .containsExactlyElementsOf(reference);
    }

    /** Unit vectors in shoots of 50 near themes (cosine about 0.8 within a shoot), as MillionBenchmark makes. */
    private static float[][] inShoots(int count, float[][] themes, Random random) {
        float[][] vectors = new float[count][];
        float[] shoot = null;
        for (int i = 0; i < count; i++) {
            if (i % 50 == 0) {
                shoot = near(unit(themes[random.nextInt(themes.length)]), 0.06, random);
            }
            vectors[i] = near(shoot, 0.04, random);
        }
        return vectors;
    }

    /** A unit vector near {@code centre}: each component moved by a Gaussian of that spread. */
    private static float[] near(float[] centre, double spread, Random random) {
        float[] out = centre.clone();
        for (int d = 0; d < out.length; d++) {
            out[d] += (float) (random.nextGaussian() * spread);
        }
        return unit(out);
    }

    private static float[] unit(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        float[] out = new float[vector.length];
        for (int d = 0; d < vector.length; d++) {
            out[d] = (float) (vector[d] / Math.sqrt(sum));
        }
        return out;
    }
}
