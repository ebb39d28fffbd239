package io.assetindex.search;

import io.assetindex.store.AssetShape;
import io.assetindex.store.SearchFilter;
import io.assetindex.store.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Vectors held in memory, compactly, for exact nearest-neighbour search.
 *
 * <p>Each vector is held as one byte per component (int8) and a scale: component i is
 * {@code scale x code[i]} give or take the vector's quantization error {@code err}, the largest
 * |v[i] - scale x code[i]| measured when it was added. That is a quarter of the float32 size
 * (100,000 x 384 take 38 MiB instead of 147), and a scan reads a quarter of the memory.
 *
 * <p>Guarantee: the results are the same top-k as a brute-force scan computing every distance
 * in double precision from the float32 vectors, ties broken by id. How: one pass computes each
 * allowed vector's approximate score from its codes, with a bound on how far the true score can
 * be (the quantization error: |sum q[i] e[i]| is at most err x |q|_1, and at most |e|_2 x |q|_2,
 * the smaller of the two; plus the query's rounding to integers), so each vector has a lower and
 * an upper bound on its true score. The k-th largest lower bound is a score at least k vectors
 * reach; every vector whose upper bound is below it cannot be in the top k. The others (a few
 * more than k) are scored again exactly from their float32 vectors, which an {@link
 * ExactVectors} gives (the index's own table), and the top k of those are the answer. If more
 * vectors than a pass kept may be in the band (many near-ties), a second pass collects them all.
 *
 * <p>Layout, for speed: vectors live in tiles of {@value #TILE}, each stored four dimensions by
 * four, one int array per four dimensions, each int packing one vector's four codes for them (the
 * first int of every vector of the tile, then the second ...), and the query is rounded to
 * integers. The dot products of a whole tile are then plain loops of ints over whole arrays (a
 * byte is taken out of its int with two shifts), which the JIT turns into SIMD instructions,
 * reading memory once, in order; a tile's sums stay in the CPU's L1 cache. The tiles are split
 * over threads. (Held as one byte array per dimension, Java 17's JIT leaves the loop that widens
 * bytes scalar, and Java 25's float sums over bytes scan a million in 40 ms where these take 33:
 * docs/benchmarks.md.)
 *
 * <p>Ids are kept sorted, so an id's slot is found by binary search. Immutable once built;
 * searches may run concurrently.
 */
public final class VectorIndex {
    /** Vectors per tile. */
    static final int TILE = 4096;
    /** Codes per int in a tile (see {@link #tiles}). */
    private static final int PER_INT = 4;
    /** Bytes a JVM spends on an array's header (with compressed pointers). */
    private static final int ARRAY_HEADER = 16;
    /** Candidates kept per thread beyond k before the exact re-scoring. */
    private static final int MARGIN = 256;
    /** Fewer candidates than this per thread are read from the index by one thread. */
    private static final int MIN_EXACT_PER_THREAD = 16;
    /** The largest code: components are held as -127 to 127. */
    private static final int LEVELS = 127;

    /** Cosine: 1 - cos(q, v). L2: the Euclidean distance |q - v|. */
    public enum Metric {
        COSINE, L2
    }

    /** One result. */
    public record Hit(String id, double distance) {}

    /** The float32 vectors of some ids, as stored: what candidates are scored with exactly. */
    @FunctionalInterface
    public interface ExactVectors {
        /** The vectors of those ids that still have one. */
        Map<String, float[]> of(Collection<String> ids);
    }

    private final int dimension;
    private final int size;
    /**
     * Tile t holds slots [t * TILE, t * TILE + width): code d of slot t * TILE + j in byte d % 4 of
     * [t][d / 4][j] (a dimension that is not a multiple of 4 is padded with codes 0).
     */
    private final int[][][] tiles;
    private final float[] scales;
    /** The largest |v[i] - scale x code[i]| of each vector, rounded up. */
    private final float[] errors;
    /** The length |e|_2 of each vector's quantization error v - scale x code, rounded up. */
    private final float[] errorLengths;
    private final float[] norms;
    private final long[] ids;
    private final BitSet live;
    /** Per slot, the asset's shape (see {@link #withShape}): type ordinal or -1, pixels or MIN_VALUE, seconds or NaN. */
    private final byte[] types;
    private final int[] widths;
    private final int[] heights;
    private final double[] durations;
    private final TileStats stats;

    private VectorIndex(Builder built) {
        this.dimension = built.dimension;
        this.size = built.size;
        this.tiles = built.tiles.toArray(int[][][]::new);
        // A builder told the right size hands its arrays over as they are: no second copy of them at load.
        this.scales = trimmed(built.scales, size);
        this.errors = trimmed(built.errors, size);
        this.errorLengths = trimmed(built.errorLengths, size);
        this.norms = trimmed(built.norms, size);
        this.ids = built.ids.length == size * 4 ? built.ids : Arrays.copyOf(built.ids, size * 4);
        this.live = built.live;
        this.types = built.shapes.types.length == size ? built.shapes.types : Arrays.copyOf(built.shapes.types, size);
        this.widths = trimmed(built.shapes.widths, size);
        this.heights = trimmed(built.shapes.heights, size);
        this.durations = built.shapes.durations.length == size ? built.shapes.durations
                : Arrays.copyOf(built.shapes.durations, size);
        this.stats = new TileStats(dimension, scales, errors, norms);
    }

    private static float[] trimmed(float[] values, int size) {
        return values.length == size ? values : Arrays.copyOf(values, size);
    }

    private static int[] trimmed(int[] values, int size) {
        return values.length == size ? values : Arrays.copyOf(values, size);
    }

    public int dimension() {
        return dimension;
    }

    /** Vectors held. */
    public int size() {
        return size;
    }

    /** An index of no vectors. */
    public static VectorIndex empty(int dimension) {
        return builder(dimension, 0).build();
    }

    /**
     * Bytes held: codes (with their arrays' headers), scales, errors and their lengths, norms, ids,
     * the live set and the shapes.
     */
    public long memoryBytes() {
        int arrays = packedRows(dimension);
        long bytes = (long) size * arrays * Integer.BYTES + (long) tiles.length * arrays * ARRAY_HEADER;
        return bytes + (long) size * (4 * Float.BYTES + 4 * Long.BYTES + 1 + 4 + 4 + 8) + live.size() / 8;
    }

    /** The vectors' size as float32 (as stored): dimension x 4 bytes each. */
    public long rawBytes() {
        return (long) size * dimension * Float.BYTES;
    }

    /**
     * The slots of {@code among} whose asset meets the shape conditions of {@code filter} (type,
     * duration range, minimum width and height; its other conditions are not looked at), exactly
     * as the SQL of a filter decides: an unknown value meets no condition on it.
     */
    public BitSet withShape(SearchFilter filter, BitSet among) {
        BitSet out = new BitSet(size);
        for (int slot = among.nextSetBit(0); slot >= 0 && slot < size; slot = among.nextSetBit(slot + 1)) {
            if (hasShape(filter, slot)) {
                out.set(slot);
            }
        }
        return out;
    }

    /** Whether the asset in this slot meets the shape conditions of {@code filter} (see {@link #withShape}). */
    public boolean hasShape(SearchFilter filter, int slot) {
        double seconds = durations[slot];
        return (filter.mediaType() == null || types[slot] == filter.mediaType().ordinal())
                && (filter.minDurationSeconds() == null || (!Double.isNaN(seconds)
                        && seconds >= filter.minDurationSeconds()))
                && (filter.maxDurationSeconds() == null || (!Double.isNaN(seconds)
                        && seconds <= filter.maxDurationSeconds()))
                && (filter.minWidth() == null || (widths[slot] != Integer.MIN_VALUE && widths[slot] >= filter.minWidth()))
                && (filter.minHeight() == null || (heights[slot] != Integer.MIN_VALUE
                        && heights[slot] >= filter.minHeight()));
    }

    public int slotOf(String id) {
        long[] key = pack(id);
        int low = 0;
        int high = size - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = compare(mid, key);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    public String idAt(int slot) {
        StringBuilder hex = new StringBuilder(64);
        for (int i = 0; i < 4; i++) {
            hex.append(HexFormat.of().toHexDigits(ids[slot * 4 + i]));
        }
        return hex.toString();
    }

    /**
     * Whether this slot holds what {@code packed} (float32, as stored) would be added as: the same
     * codes, scale, error and norm. Then a search cannot tell them apart (its exact scores come from
     * the stored vector anyway).
     */
    public boolean holds(int slot, byte[] packed) {
        if (packed.length != dimension * Float.BYTES) {
            return false;
        }
        Quantized quantized = Quantized.of(Vectors.unpack(packed));
        if (quantized.scale != scales[slot] || quantized.error != errors[slot]
                || quantized.errorLength != errorLengths[slot] || quantized.norm != norms[slot]) {
            return false;
        }
        int j = slot % TILE;
        for (int d = 0; d < dimension; d++) {
            if (code(slot / TILE, d, j) != quantized.codes[d]) {
                return false;
            }
        }
        return true;
    }

    /** Code d of slot t * TILE + j. */
    private byte code(int t, int d, int j) {
        return (byte) (tiles[t][d / PER_INT][j] >>> (8 * (d % PER_INT)));
    }

    /** The rows of a tile: the dimension over {@value #PER_INT}, rounded up. */
    private static int packedRows(int dimension) {
        return (dimension + PER_INT - 1) / PER_INT;
    }

    /** A tile of codes, one array per dimension (its first {@code width} slots), as {@link #tiles} holds it. */
    static int[][] pack(byte[][] tile, int width) {
        int[][] out = new int[packedRows(tile.length)][width];
        for (int d = 0; d < tile.length; d++) {
            int shift = 8 * (d % PER_INT);
            int[] row = out[d / PER_INT];
            for (int j = 0; j < width; j++) {
                row[j] |= (tile[d][j] & 0xFF) << shift;
            }
        }
        return out;
    }

    /** Slots whose asset has a live path: the only ones a search may return. */
    public BitSet live() {
        return (BitSet) live.clone();
    }

    /**
     * The {@code k} nearest allowed vectors to {@code query}, nearest first, exactly.
     *
     * @param allowed slots that may be returned (a subset of {@link #live()})
     * @param exact   the float32 vectors the candidates are scored with; an id it has no vector for
     *                any more (deleted meanwhile) is not returned
     * @param pool    threads to scan on; the tiles are split into one range per thread
     */
    public List<Hit> search(float[] query, int k, Metric metric, BitSet allowed, ExactVectors exact,
            ExecutorService pool, int threads) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("the query has " + query.length + " dimensions, the index " + dimension);
        }
        if (k <= 0 || allowed.isEmpty()) {
            return List.of();
        }
        Query q = new Query(query, metric);
        int keep = k + MARGIN;
        List<Scanned> parts = scanInParallel(pool, threads, (from, to) -> scan(q, allowed, from, to, k, keep,
                Double.NEGATIVE_INFINITY));
        // The k-th largest lower bound: at least k vectors score at least this much.
        double[] lowers = parts.stream().flatMapToDouble(part -> Arrays.stream(part.lowestOfTop())).toArray();
        if (lowers.length == 0) {
            return List.of();
        }
        Arrays.sort(lowers);
        double threshold = lowers[Math.max(0, lowers.length - k)];
        // A range that kept only its best `keep` may have dropped slots that are in the band too.
        boolean overflow = parts.stream().anyMatch(part -> part.full() && part.worstKept() >= threshold);
        List<Integer> band = new ArrayList<>();
        if (overflow) {
            scanInParallel(pool, threads, (from, to) -> scan(q, allowed, from, to, k, Integer.MAX_VALUE, threshold))
                    .forEach(part -> part.kept().forEach(candidate -> band.add(candidate.slot())));
        } else {
            parts.forEach(part -> part.kept().stream().filter(candidate -> candidate.score() >= threshold)
                    .forEach(candidate -> band.add(candidate.slot())));
        }
        List<String> bandIds = band.stream().map(this::idAt).toList();
        Map<String, float[]> vectors = exactInParallel(exact, bandIds, pool, threads);
        List<Hit> hits = new ArrayList<>(bandIds.size());
        for (String id : bandIds) {
            float[] vector = vectors.get(id);
            if (vector != null && vector.length == dimension) {
                hits.add(new Hit(id, exactDistance(query, vector, metric)));
            }
        }
        hits.sort(Comparator.comparingDouble(Hit::distance).thenComparing(Hit::id));
        return hits.subList(0, Math.min(k, hits.size()));
    }

    /** A slot with the upper bound of its score (higher is nearer). */
    private record Candidate(int slot, double score) {}

    /**
     * What one range kept: its best slots by upper bound, whether it dropped some, the worst upper
     * bound it kept, and the k largest lower bounds it saw.
     */
    private record Scanned(List<Candidate> kept, boolean full, double worstKept, double[] lowestOfTop) {}

    @FunctionalInterface
    private interface RangeScan {
        Scanned scan(int fromTile, int toTile);
    }

    /**
     * What a scan needs to know of the query: its |q|_2 and |q|_1, and the query as integers:
     * component i is {@code step x codes[i]}, off by at most step / 2, and no sum of D products with
     * codes of -127 to 127 can overflow an int.
     */
    private static final class Query {
        final Metric metric;
        final double norm;
        final double l1;
        final int[] codes;
        final double step;

        Query(float[] vector, Metric metric) {
            this.metric = metric;
            double squares = 0;
            double sum = 0;
            double largest = 0;
            for (float value : vector) {
                squares += (double) value * value;
                sum += Math.abs(value);
                largest = Math.max(largest, Math.abs((double) value));
            }
            this.norm = Math.sqrt(squares);
            this.l1 = sum;
            int levels = (int) Math.min(32_767, (Integer.MAX_VALUE - 1L) / ((long) vector.length * LEVELS));
            step = largest / levels;
            codes = new int[packedRows(vector.length) * PER_INT]; // the padding's codes stay 0
            for (int i = 0; i < vector.length; i++) {
                codes[i] = step == 0 ? 0 : (int) Math.max(-levels, Math.min(levels, Math.round(vector[i] / step)));
            }
        }
    }

    private List<Scanned> scanInParallel(ExecutorService pool, int threads, RangeScan scan) {
        int tileCount = tiles.length;
        int parts = Math.max(1, Math.min(threads, tileCount));
        List<Callable<Scanned>> ranges = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            int from = tileCount * part / parts;
            int to = tileCount * (part + 1) / parts;
            ranges.add(() -> scan.scan(from, to));
        }
        return inParallel(pool, ranges);
    }

    /**
     * The candidates' float32 vectors, read in up to {@code threads} parts at once: each read is a
     * few random pages per vector (~80 µs each at a million), and a hybrid search's band is 100 to
     * 150 vectors (docs/benchmarks.md).
     */
    private static Map<String, float[]> exactInParallel(ExactVectors exact, List<String> ids, ExecutorService pool,
            int threads) {
        int parts = Math.min(threads, ids.size() / MIN_EXACT_PER_THREAD);
        if (parts <= 1) {
            return exact.of(ids);
        }
        List<Callable<Map<String, float[]>>> reads = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            List<String> some = ids.subList(ids.size() * part / parts, ids.size() * (part + 1) / parts);
            reads.add(() -> exact.of(some));
        }
        Map<String, float[]> vectors = new HashMap<>();
        inParallel(pool, reads).forEach(vectors::putAll);
        return vectors;
    }

    /**
     * Runs the tasks on the pool and returns their results in order; a task's unchecked exception
     * is rethrown as is, and the tasks still running then are cancelled.
     */
    private static <T> List<T> inParallel(ExecutorService pool, List<Callable<T>> tasks) {
        List<Future<T>> futures = new ArrayList<>();
        tasks.forEach(task -> futures.add(pool.submit(task)));
        List<T> all = new ArrayList<>();
        try {
            for (Future<T> future : futures) {
                all.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("search interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException unchecked) {
                throw unchecked;
            }
            throw new IllegalStateException("search failed", e.getCause());
        } finally {
            futures.forEach(future -> future.cancel(true)); // done ones stay as they are
        }
        return all;
    }

    /**
     * Bounds the scores of the allowed slots of tiles [fromTile, toTile): keeps the best
     * {@code keep} by upper bound, only those reaching {@code threshold}, and the {@code k}
     * largest lower bounds.
     */
    private Scanned scan(Query query, BitSet allowed, int fromTile, int toTile, int k, int keep, double threshold) {
        boolean collectAll = keep == Integer.MAX_VALUE;
        TopScores top = collectAll ? null : new TopScores(keep);
        TopScores lowest = new TopScores(k);
        List<Candidate> all = collectAll ? new ArrayList<>() : null;
        int[] sums = new int[TILE];
        boolean dropped = false;
        double rootD = Math.sqrt(dimension);
        for (int t = fromTile; t < toTile; t++) {
            int first = t * TILE;
            int width = Math.min(TILE, size - first);
            int next = allowed.nextSetBit(first);
            if (next < 0 || next >= first + width) {
                continue;
            }
            sums(tiles[t], query.codes, sums);
            // What the heaps hold now: a slot whose upper bound is below it would change nothing.
            double cutoff = !lowest.isFull() ? Double.NEGATIVE_INFINITY : Math.min(lowest.min(),
                    all == null && top.isFull() ? Math.max(top.min(), threshold) : threshold);
            double sumCutoff = stats.sumCutoff(t, query, cutoff, rootD);
            for (int j = next - first; j < width; j++) {
                double sum = sums[j];
                if (sum < sumCutoff) {
                    continue;
                }
                int slot = first + j;
                if (!allowed.get(slot)) {
                    continue;
                }
                double norm = norms[slot];
                double error = errors[slot];
                // |sum q[i] e[i]|: at most err x |q|_1 and at most |e|_2 x |q|_2 (Cauchy-Schwarz), the
                // second smaller for most vectors (their errors are not all err); |q|_2 and |q|_1 in
                // double, a margin for their rounding.
                double quantization = Math.min(error * query.l1, errorLengths[slot] * query.norm) * (1 + 1e-9);
                // The integer sum is exact; |true dot - dot|: the vector's quantization, the query's
                // (step / 2 x sum |scale x code[i]|), the products in double.
                double dot = sum * query.step * scales[slot];
                double dotError = quantization + query.step / 2 * (rootD * norm + dimension * error)
                        + Math.abs(dot) * 4 * Math.ulp(1.0);
                double score;
                double scoreError;
                if (query.metric == Metric.COSINE) {
                    score = norm == 0 ? 0 : dot / norm; // cos x |q|: |q| is the same for all
                    // (the norm is held as a float: its rounding moves the score by a few ulps more)
                    scoreError = norm == 0 ? 0 : dotError / norm * (1 + 4 * Math.ulp(1.0f))
                            + Math.abs(score) * 4 * Math.ulp(1.0f);
                } else {
                    score = 2 * dot - norm * norm; // |q|^2 - |q - v|^2: the same order
                    scoreError = 2 * dotError + norm * norm * 8 * Math.ulp(1.0f);
                }
                double upper = score + scoreError;
                double lower = score - scoreError;
                if (!lowest.isFull() || lower > lowest.min()) {
                    lowest.offer(slot, lower);
                }
                if (upper < threshold || (all == null && top.isFull() && upper <= top.min())) {
                    continue;
                }
                if (all != null) {
                    all.add(new Candidate(slot, upper));
                } else {
                    dropped |= top.offer(slot, upper);
                }
            }
        }
        double[] lowers = lowest.scores();
        if (all != null) {
            return new Scanned(all, false, Double.NEGATIVE_INFINITY, lowers);
        }
        // A full heap that had to refuse or evict slots may have dropped ones as good as its worst.
        return new Scanned(top.candidates(), dropped || top.isFull(), top.isEmpty() ? Double.NEGATIVE_INFINITY
                : top.min(), lowers);
    }

    /**
     * The sums of query[d] x code[d] with every vector of a tile (see {@link #tiles}), into
     * {@code out[j]} for slot j of the tile: the inner loop runs over whole arrays (the tile's
     * vectors), so it is vectorized and streams the tile once. Exact: no rounding, no overflow for
     * the query codes {@link Query} makes. Each byte is taken out of its int by two shifts (the
     * second one signed), so the loop holds ints only. Two rows (eight dimensions) per pass over the
     * tile: the sums are read and written half as often, which brings a scan at a million down to
     * the time of merely reading its codes (docs/benchmarks.md). The shape matters to the JIT: a
     * row's four products in one chain, added to the sum in two statements. Summed in pairs, or
     * four rows at a time, Java 17 leaves the loop scalar; the two rows in one expression, Java 25
     * always and Java 17 in one start of two.
     */
    static void sums(int[][] tile, int[] query, int[] out) {
        int width = tile[0].length;
        Arrays.fill(out, 0, width, 0);
        int r = 0;
        for (; r + 2 <= tile.length; r += 2) {
            int base = PER_INT * r;
            int q0 = query[base];
            int q1 = query[base + 1];
            int q2 = query[base + 2];
            int q3 = query[base + 3];
            int q4 = query[base + 4];
            int q5 = query[base + 5];
            int q6 = query[base + 6];
            int q7 = query[base + 7];
            int[] first = tile[r];
            int[] second = tile[r + 1];
            for (int j = 0; j < width; j++) {
                int a = first[j];
                int b = second[j];
                int sum = out[j] + q3 * (a >> 24) + q2 * ((a << 8) >> 24) + q1 * ((a << 16) >> 24)
                        + q0 * ((a << 24) >> 24);
                out[j] = sum + q7 * (b >> 24) + q6 * ((b << 8) >> 24) + q5 * ((b << 16) >> 24) + q4 * ((b << 24) >> 24);
            }
        }
        if (r < tile.length) {
            int base = PER_INT * r;
            int q0 = query[base];
            int q1 = query[base + 1];
            int q2 = query[base + 2];
            int q3 = query[base + 3];
            int[] row = tile[r];
            for (int j = 0; j < width; j++) {
                int a = row[j];
                out[j] += q3 * (a >> 24) + q2 * ((a << 8) >> 24) + q1 * ((a << 16) >> 24) + q0 * ((a << 24) >> 24);
            }
        }
    }

    /** The distance computed in double precision, as the brute-force reference does. */
    static double exactDistance(float[] query, float[] vector, Metric metric) {
        if (metric == Metric.COSINE) {
            double dot = 0;
            double vv = 0;
            double qq = 0;
            for (int i = 0; i < query.length; i++) {
                double v = vector[i];
                dot += query[i] * v;
                vv += v * v;
                qq += (double) query[i] * query[i];
            }
            return vv == 0 || qq == 0 ? 1.0 : 1.0 - dot / (Math.sqrt(qq) * Math.sqrt(vv));
        }
        double sum = 0;
        for (int i = 0; i < query.length; i++) {
            double d = (double) query[i] - vector[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /**
     * The extremes of each tile's scales, errors and norms, held rounded outwards: with them a
     * single comparison of a slot's sum tells that its upper bound cannot reach a cutoff, before the
     * bound is worked out (most slots of a tile are far below the top k).
     */
    private static final class TileStats {
        /** Generous against every rounding the bound of {@link #scan} allows for (a few float ulps). */
        private static final double SLACK = 1e-4;
        private final int dimension;
        /** Over the slots with a norm above 0 (the others score 0, and their bound is 0). */
        private final float[] maxScaleOverNorm;
        private final float[] maxErrorOverNorm;
        private final float[] maxScale;
        private final float[] maxError;
        private final float[] maxNorm;
        private final float[] minNorm;

        TileStats(int dimension, float[] scales, float[] errors, float[] norms) {
            this.dimension = dimension;
            int tiles = (scales.length + TILE - 1) / TILE;
            maxScaleOverNorm = new float[tiles];
            maxErrorOverNorm = new float[tiles];
            maxScale = new float[tiles];
            maxError = new float[tiles];
            maxNorm = new float[tiles];
            minNorm = new float[tiles];
            for (int t = 0; t < tiles; t++) {
                double scaleOverNorm = 0;
                double errorOverNorm = 0;
                double scale = 0;
                double error = 0;
                double largest = 0;
                double smallest = Double.POSITIVE_INFINITY;
                for (int slot = t * TILE; slot < Math.min(scales.length, (t + 1) * TILE); slot++) {
                    if (norms[slot] > 0) {
                        scaleOverNorm = Math.max(scaleOverNorm, (double) scales[slot] / norms[slot]);
                        errorOverNorm = Math.max(errorOverNorm, (double) errors[slot] / norms[slot]);
                    }
                    scale = Math.max(scale, scales[slot]);
                    error = Math.max(error, errors[slot]);
                    largest = Math.max(largest, norms[slot]);
                    smallest = Math.min(smallest, norms[slot]);
                }
                maxScaleOverNorm[t] = Math.nextUp((float) scaleOverNorm);
                maxErrorOverNorm[t] = Math.nextUp((float) errorOverNorm);
                maxScale[t] = Math.nextUp((float) scale);
                maxError[t] = Math.nextUp((float) error);
                maxNorm[t] = Math.nextUp((float) largest);
                minNorm[t] = Math.max(0f, Math.nextDown((float) smallest));
            }
        }

        /**
         * A sum below which a slot of tile t has an upper bound below {@code cutoff} (as {@link
         * #scan} works it out: the same terms, each at its tile's extreme, with some slack; the
         * quantization's term by err x |q|_1 alone, never below the one the scan takes), or minus
         * infinity when no sum is sure to be.
         *
         * <p>Cosine: score = sum x step x scale / norm (step: the query's, see {@link Query}),
         * and its bound's error at most (err / norm x |q|_1 + the query's rounding) x (1 + a few
         * ulps); for a sum at or below 0 the score is at most 0. L2: score = 2 x sum x step x scale
         * - norm^2, its error at most 2 x (err x |q|_1 + the rounding) + a few ulps of norm^2.
         */
        double sumCutoff(int t, Query query, double cutoff, double rootD) {
            if (!(cutoff > Double.NEGATIVE_INFINITY)) {
                return Double.NEGATIVE_INFINITY;
            }
            double perSum;
            double rest;
            if (query.metric == Metric.COSINE) {
                double eon = maxErrorOverNorm[t];
                double queryRounding = query.step / 2 * (rootD + dimension * eon);
                rest = (eon * query.l1 + queryRounding) * (1 + SLACK);
                perSum = query.step * maxScaleOverNorm[t] * (1 + SLACK);
                if (cutoff <= 0) {
                    return Double.NEGATIVE_INFINITY;
                }
                cutoff = cutoff / (1 + SLACK);
            } else {
                double error = maxError[t];
                double queryRounding = query.step / 2 * (rootD * maxNorm[t] + dimension * error);
                rest = 2 * (error * query.l1 + queryRounding) * (1 + SLACK)
                        - (double) minNorm[t] * minNorm[t] * (1 - SLACK);
                perSum = 2 * query.step * maxScale[t] * (1 + SLACK);
            }
            double room = cutoff - rest;
            if (!(room > 0) || !(perSum > 0)) {
                return Double.NEGATIVE_INFINITY;
            }
            return room / perSum;
        }
    }

    /** The best scores seen, as a min-heap on primitive arrays (no allocation per offer). */
    private static final class TopScores {
        private final int[] slots;
        private final double[] scores;
        private int count;

        TopScores(int capacity) {
            slots = new int[capacity];
            scores = new double[capacity];
        }

        boolean isFull() {
            return count == slots.length;
        }

        boolean isEmpty() {
            return count == 0;
        }

        double min() {
            return scores[0];
        }

        /** Adds a slot, evicting the worst when full; true when a slot was evicted. */
        boolean offer(int slot, double score) {
            if (count < slots.length) {
                int i = count++;
                while (i > 0) {
                    int parent = (i - 1) / 2;
                    if (scores[parent] <= score) {
                        break;
                    }
                    slots[i] = slots[parent];
                    scores[i] = scores[parent];
                    i = parent;
                }
                slots[i] = slot;
                scores[i] = score;
                return false;
            }
            int i = 0;
            while (true) {
                int child = 2 * i + 1;
                if (child >= count) {
                    break;
                }
                if (child + 1 < count && scores[child + 1] < scores[child]) {
                    child++;
                }
                if (scores[child] >= score) {
                    break;
                }
                slots[i] = slots[child];
                scores[i] = scores[child];
                i = child;
            }
            slots[i] = slot;
            scores[i] = score;
            return true;
        }

        List<Candidate> candidates() {
            List<Candidate> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(new Candidate(slots[i], scores[i]));
            }
            return out;
        }

        double[] scores() {
            return Arrays.copyOf(scores, count);
        }
    }

    private int compare(int slot, long[] key) {
        for (int i = 0; i < 4; i++) {
            int cmp = Long.compareUnsigned(ids[slot * 4 + i], key[i]);
            if (cmp != 0) {
                return cmp;
            }
        }
        return 0;
    }

    /** A lowercase 64-hex-digit id as four longs, so ids sort the same as their text. */
    static long[] pack(String id) {
        if (id.length() != 64) {
            throw new IllegalArgumentException("an asset id has 64 hex digits: " + id);
        }
        long[] out = new long[4];
        for (int i = 0; i < 4; i++) {
            out[i] = Long.parseUnsignedLong(id.substring(i * 16, i * 16 + 16), 16);
        }
        return out;
    }

    /**
     * A vector as it is held: codes of -127 to 127 with the scale that maps the largest component
     * to 127, the largest difference that leaves and the length of all of them (both rounded up,
     * so a bound built on them holds), and its norm.
     */
    private record Quantized(byte[] codes, float scale, float error, float errorLength, float norm) {
        static Quantized of(float[] vector) {
            double largest = 0;
            double squares = 0;
            for (float value : vector) {
                largest = Math.max(largest, Math.abs((double) value));
                squares += (double) value * value;
            }
            float scale = (float) (largest / LEVELS);
            byte[] codes = new byte[vector.length];
            double error = 0;
            double errorSquares = 0;
            for (int i = 0; i < vector.length; i++) {
                int code = scale == 0 ? 0 : (int) Math.max(-LEVELS, Math.min(LEVELS, Math.round(vector[i] / (double) scale)));
                codes[i] = (byte) code;
                double off = vector[i] - (double) scale * code;
                error = Math.max(error, Math.abs(off));
                errorSquares += off * off;
            }
            // float -> the next float up: a bound that is never below the true value (the double
            // sums' rounding is far below a float's step).
            return new Quantized(codes, scale, Math.nextUp((float) error), Math.nextUp((float) Math.sqrt(errorSquares)),
                    (float) Math.sqrt(squares));
        }
    }

    public static Builder builder(int dimension, int expectedSize) {
        return new Builder(dimension, expectedSize);
    }

    /** Collects vectors in increasing id order (as {@code ORDER BY id} gives them). */
    public static final class Builder {
        private final int dimension;
        /** The full tiles, packed (see {@link #tiles}). */
        private final List<int[][]> tiles = new ArrayList<>();
        /** The tile being filled, one array per dimension (made at the first add); packed when full, then reused. */
        private byte[][] filling;
        private final float[] scratch;
        private float[] scales;
        private float[] errors;
        private float[] errorLengths;
        private float[] norms;
        private long[] ids;
        private final BitSet live = new BitSet();
        private final Shapes shapes;
        private int size;
        private boolean built;

        private Builder(int dimension, int expectedSize) {
            int capacity = Math.max(16, expectedSize);
            this.dimension = dimension;
            this.scratch = new float[dimension];
            this.scales = new float[capacity];
            this.errors = new float[capacity];
            this.errorLengths = new float[capacity];
            this.norms = new float[capacity];
            this.ids = new long[capacity * 4];
            this.shapes = new Shapes(capacity);
        }

        /** Adds the next vector, of an asset whose shape is unknown (it meets no shape condition). */
        public Builder add(String id, byte[] packed, boolean isLive) {
            return add(id, packed, isLive, AssetShape.UNKNOWN);
        }

        /**
         * Adds the next vector, read from packed little-endian float32 (as stored).
         *
         * @throws IllegalArgumentException for a vector of another dimension, or ids out of order
         */
        public Builder add(String id, byte[] packed, boolean isLive, AssetShape shape) {
            if (built) {
                throw new IllegalStateException("this builder has built its index already");
            }
            if (packed.length != dimension * Float.BYTES) {
                throw new IllegalArgumentException("asset " + id + " has a vector of " + packed.length / Float.BYTES
                        + " dimensions in a " + dimension + "-dimension index");
            }
            long[] key = pack(id);
            if (size > 0) {
                for (int i = 0; i < 4; i++) {
                    int cmp = Long.compareUnsigned(ids[(size - 1) * 4 + i], key[i]);
                    if (cmp > 0) {
                        throw new IllegalArgumentException("vectors must be added in increasing id order");
                    }
                    if (cmp < 0) {
                        break;
                    }
                }
            }
            if (filling == null) {
                filling = new byte[dimension][TILE];
            } else if (size % TILE == 0) {
                tiles.add(pack(filling, TILE)); // every code of a tile is written again before it is packed
            }
            if (size == norms.length) {
                scales = Arrays.copyOf(scales, size * 2);
                errors = Arrays.copyOf(errors, size * 2);
                errorLengths = Arrays.copyOf(errorLengths, size * 2);
                norms = Arrays.copyOf(norms, size * 2);
                ids = Arrays.copyOf(ids, size * 2 * 4);
                shapes.grow(size * 2);
            }
            Vectors.unpackInto(packed, scratch, 0);
            Quantized quantized = Quantized.of(scratch);
            int j = size % TILE;
            for (int d = 0; d < dimension; d++) {
                filling[d][j] = quantized.codes[d];
            }
            scales[size] = quantized.scale;
            errors[size] = quantized.error;
            errorLengths[size] = quantized.errorLength;
            norms[size] = quantized.norm;
            System.arraycopy(key, 0, ids, size * 4, 4);
            shapes.set(size, shape);
            if (isLive) {
                live.set(size);
            }
            size++;
            return this;
        }

        /** The index; the builder hands its arrays over and cannot be used again. */
        public VectorIndex build() {
            if (built) {
                throw new IllegalStateException("this builder has built its index already");
            }
            built = true;
            if (size > 0) {
                tiles.add(pack(filling, size - tiles.size() * TILE)); // the last tile, perhaps narrower
            }
            return new VectorIndex(this);
        }
    }

    /** The shapes being collected, one entry per slot. */
    private static final class Shapes {
        byte[] types;
        int[] widths;
        int[] heights;
        double[] durations;

        Shapes(int capacity) {
            types = new byte[capacity];
            widths = new int[capacity];
            heights = new int[capacity];
            durations = new double[capacity];
        }

        void grow(int capacity) {
            types = Arrays.copyOf(types, capacity);
            widths = Arrays.copyOf(widths, capacity);
            heights = Arrays.copyOf(heights, capacity);
            durations = Arrays.copyOf(durations, capacity);
        }

        void set(int slot, AssetShape shape) {
            types[slot] = (byte) (shape.type() == null ? -1 : shape.type().ordinal());
            widths[slot] = shape.width() == null ? Integer.MIN_VALUE : shape.width();
            heights[slot] = shape.height() == null ? Integer.MIN_VALUE : shape.height();
            durations[slot] = shape.durationSeconds() == null ? Double.NaN : shape.durationSeconds();
        }
    }
}
