package io.assetindex.search;

import io.assetindex.store.Vectors;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Vectors held in memory for exact nearest-neighbour search.
 *
 * <p>Guarantee: the results are the same top-k as a brute-force scan computing every distance
 * in double precision, ties broken by id. How: one pass over all allowed vectors computes float
 * dot products with 16 independent accumulators (memory-bound, split over threads), keeping the
 * best few by that approximate score; then every vector whose approximate score is within the
 * worst-case float rounding error ({@link #errorBound}) of the k-th best is scored again in
 * double precision, and the top k of those are the answer. If more vectors than were kept are
 * that close (many near-ties), a second pass collects them all.
 *
 * <p>Memory: the vectors as float32 (their raw size), plus a float norm and a 32-byte packed id
 * per vector: about 1.02x the raw size for 384 dimensions. Vectors live in blocks of at most
 * 65,536, so no array exceeds Java's limits. Ids are kept sorted, so an id's slot is found by
 * binary search. Immutable once built; searches may run concurrently.
 */
public final class VectorIndex {
    static final int BLOCK = 1 << 16;
    /** Candidates kept per thread beyond k before the exact re-scoring. */
    private static final int MARGIN = 64;

    /** Cosine: 1 - cos(q, v). L2: the Euclidean distance |q - v|. */
    public enum Metric {
        COSINE, L2
    }

    /** One result. */
    public record Hit(String id, double distance) {}

    private final int dimension;
    private final int size;
    private final float[][] blocks;
    private final float[] norms;
    private final long[] ids;
    private final BitSet live;

    private VectorIndex(int dimension, int size, float[][] blocks, float[] norms, long[] ids, BitSet live) {
        this.dimension = dimension;
        this.size = size;
        this.blocks = blocks;
        this.norms = norms;
        this.ids = ids;
        this.live = live;
    }

    public int dimension() {
        return dimension;
    }

    public int size() {
        return size;
    }

    /** Bytes held: vectors, norms, ids and the live set. */
    public long memoryBytes() {
        long bytes = (long) size * dimension * Float.BYTES;
        return bytes + (long) norms.length * Float.BYTES + (long) ids.length * Long.BYTES + live.size() / 8;
    }

    /** The vectors' raw size: dimension x 4 bytes each. */
    public long rawBytes() {
        return (long) size * dimension * Float.BYTES;
    }

    /** The slot of an id, or -1. */
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

    /** A copy of the vector in a slot. */
    public float[] vectorAt(int slot) {
        float[] out = new float[dimension];
        System.arraycopy(blocks[slot / BLOCK], (slot % BLOCK) * dimension, out, 0, dimension);
        return out;
    }

    /** Slots whose asset has a live path: the only ones a search may return. */
    public BitSet live() {
        return (BitSet) live.clone();
    }

    /**
     * The {@code k} nearest allowed vectors to {@code query}, nearest first.
     *
     * @param allowed slots that may be returned (a subset of {@link #live()})
     * @param pool    threads to scan on; the work is split into one range per thread
     */
    public List<Hit> search(float[] query, int k, Metric metric, BitSet allowed, ExecutorService pool, int threads) {
        if (query.length != dimension) {
            throw new IllegalArgumentException("the query has " + query.length + " dimensions, the index " + dimension);
        }
        if (k <= 0 || allowed.isEmpty()) {
            return List.of();
        }
        double queryNorm = norm(query);
        Scorer scorer = new Scorer(query, queryNorm, metric);
        int keep = k + MARGIN;
        List<Scanned> parts = scanInParallel(pool, threads, (from, to) -> scan(scorer, allowed, from, to, keep, null));
        List<Candidate> best = new ArrayList<>();
        parts.forEach(part -> best.addAll(part.kept()));
        if (best.isEmpty()) {
            return List.of();
        }
        best.sort(Comparator.comparingDouble(Candidate::score).reversed());
        double kth = best.get(Math.min(k, best.size()) - 1).score();
        double threshold = kth - 2 * errorBound(queryNorm, metric);
        // A range that kept only its best `keep` may have dropped slots that are in the band too.
        boolean overflow = parts.stream().anyMatch(part -> part.full() && part.worstKept() >= threshold);
        List<Candidate> band = new ArrayList<>();
        if (overflow) {
            scanInParallel(pool, threads, (from, to) -> scan(scorer, allowed, from, to, Integer.MAX_VALUE, threshold))
                    .forEach(part -> band.addAll(part.kept()));
        } else {
            best.stream().filter(candidate -> candidate.score() >= threshold).forEach(band::add);
        }
        List<Hit> exact = new ArrayList<>(band.size());
        for (Candidate candidate : band) {
            exact.add(new Hit(idAt(candidate.slot()), exactDistance(query, candidate.slot(), metric)));
        }
        exact.sort(Comparator.comparingDouble(Hit::distance).thenComparing(Hit::id));
        return exact.subList(0, Math.min(k, exact.size()));
    }

    /** A slot with its approximate score (higher is nearer). */
    private record Candidate(int slot, double score) {}

    /** What one range kept: its best slots, whether it dropped some, and the worst score it kept. */
    private record Scanned(List<Candidate> kept, boolean full, double worstKept) {}

    @FunctionalInterface
    private interface RangeScan {
        Scanned scan(int from, int to);
    }

    private List<Scanned> scanInParallel(ExecutorService pool, int threads, RangeScan scan) {
        int parts = Math.max(1, Math.min(threads, size / 1024 + 1));
        List<Future<Scanned>> futures = new ArrayList<>();
        for (int part = 0; part < parts; part++) {
            int from = (int) ((long) size * part / parts);
            int to = (int) ((long) size * (part + 1) / parts);
            futures.add(pool.submit(() -> scan.scan(from, to)));
        }
        List<Scanned> all = new ArrayList<>();
        try {
            for (Future<Scanned> future : futures) {
                all.add(future.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("search interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("search failed", e.getCause());
        }
        return all;
    }

    /**
     * Scores the allowed slots in [from, to): keeps the best {@code keep} (a min-heap), or, with a
     * threshold, every slot scoring at least that.
     */
    private Scanned scan(Scorer scorer, BitSet allowed, int from, int to, int keep, Double threshold) {
        PriorityQueue<Candidate> heap = new PriorityQueue<>(Comparator.comparingDouble(Candidate::score));
        List<Candidate> all = new ArrayList<>();
        boolean dropped = false;
        for (int slot = allowed.nextSetBit(from); slot >= 0 && slot < to; slot = allowed.nextSetBit(slot + 1)) {
            float[] block = blocks[slot / BLOCK];
            double score = scorer.score(block, (slot % BLOCK) * dimension, norms[slot]);
            if (threshold != null) {
                if (score >= threshold) {
                    all.add(new Candidate(slot, score));
                }
            } else if (heap.size() < keep) {
                heap.add(new Candidate(slot, score));
            } else {
                dropped = true;
                if (score > heap.peek().score()) {
                    heap.poll();
                    heap.add(new Candidate(slot, score));
                }
            }
        }
        if (threshold != null) {
            return new Scanned(all, false, Double.NEGATIVE_INFINITY);
        }
        return new Scanned(new ArrayList<>(heap), dropped, heap.isEmpty() ? Double.NEGATIVE_INFINITY : heap.peek().score());
    }

    /** Approximate, float-precision scores; higher is nearer. */
    private final class Scorer {
        private final float[] query;
        private final double queryNorm;
        private final Metric metric;

        Scorer(float[] query, double queryNorm, Metric metric) {
            this.query = query;
            this.queryNorm = queryNorm;
            this.metric = metric;
        }

        double score(float[] block, int offset, float norm) {
            float dot = dot(query, block, offset);
            if (metric == Metric.COSINE) {
                return queryNorm == 0 || norm == 0 ? -1 : dot / (queryNorm * norm);
            }
            return 2.0 * dot - (double) norm * norm; // -|q - v|^2 + |q|^2: the same order
        }
    }

    /**
     * The most a float score can differ from the exact one: float dot products over D terms in 16
     * lanes carry a relative error below (D / 16 + 5) x 2^-24 of |q| |v| (each lane sums D/16
     * rounded products, then four levels of additions), doubled here for safety; norms are exact to
     * float rounding. Scores are compared only against each other, so twice this is the band.
     */
    private double errorBound(double queryNorm, Metric metric) {
        double relative = 2 * (dimension / 16.0 + 8) * Math.ulp(1.0f) / 2;
        if (metric == Metric.COSINE) {
            return relative + 4 * Math.ulp(1.0f);
        }
        double maxNorm = 0;
        for (float norm : norms) {
            maxNorm = Math.max(maxNorm, norm);
        }
        return 2 * relative * queryNorm * maxNorm + 4 * Math.ulp(1.0f) * (maxNorm * maxNorm + queryNorm * maxNorm);
    }

    /** The distance computed in double precision, as the brute-force reference does. */
    private double exactDistance(float[] query, int slot, Metric metric) {
        float[] block = blocks[slot / BLOCK];
        int offset = (slot % BLOCK) * dimension;
        if (metric == Metric.COSINE) {
            double dot = 0;
            double vv = 0;
            double qq = 0;
            for (int i = 0; i < dimension; i++) {
                double v = block[offset + i];
                dot += query[i] * v;
                vv += v * v;
                qq += (double) query[i] * query[i];
            }
            return vv == 0 || qq == 0 ? 1.0 : 1.0 - dot / (Math.sqrt(qq) * Math.sqrt(vv));
        }
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
            double d = (double) query[i] - block[offset + i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    /** Dot product with 16 accumulators, so the CPU overlaps the additions (and the JIT can vectorize the lanes). */
    static float dot(float[] q, float[] v, int offset) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        float s8 = 0, s9 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0, s14 = 0, s15 = 0;
        int n = q.length;
        int i = 0;
        for (; i + 16 <= n; i += 16) {
            int o = offset + i;
            s0 += q[i] * v[o];
            s1 += q[i + 1] * v[o + 1];
            s2 += q[i + 2] * v[o + 2];
            s3 += q[i + 3] * v[o + 3];
            s4 += q[i + 4] * v[o + 4];
            s5 += q[i + 5] * v[o + 5];
            s6 += q[i + 6] * v[o + 6];
            s7 += q[i + 7] * v[o + 7];
            s8 += q[i + 8] * v[o + 8];
            s9 += q[i + 9] * v[o + 9];
            s10 += q[i + 10] * v[o + 10];
            s11 += q[i + 11] * v[o + 11];
            s12 += q[i + 12] * v[o + 12];
            s13 += q[i + 13] * v[o + 13];
            s14 += q[i + 14] * v[o + 14];
            s15 += q[i + 15] * v[o + 15];
        }
        for (; i < n; i++) {
            s0 += q[i] * v[offset + i];
        }
        return (((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))) + (((s8 + s9) + (s10 + s11)) + ((s12 + s13) + (s14 + s15)));
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
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

    public static Builder builder(int dimension, int expectedSize) {
        return new Builder(dimension, expectedSize);
    }

    /** Collects vectors in increasing id order (as {@code ORDER BY id} gives them). */
    public static final class Builder {
        private final int dimension;
        private final List<float[]> blocks = new ArrayList<>();
        private float[] norms;
        private long[] ids;
        private final BitSet live = new BitSet();
        private int size;

        private Builder(int dimension, int expectedSize) {
            this.dimension = dimension;
            this.norms = new float[Math.max(16, expectedSize)];
            this.ids = new long[Math.max(16, expectedSize) * 4];
        }

        /**
         * Adds the next vector, read from packed little-endian float32 (as stored).
         *
         * @throws IllegalArgumentException for a vector of another dimension, or ids out of order
         */
        public Builder add(String id, byte[] packed, boolean isLive) {
            if (packed.length != dimension * Float.BYTES) {
                throw new IllegalArgumentException("asset " + id + " has a vector of " + packed.length / Float.BYTES
                        + " dimensions in a " + dimension + "-dimension index");
            }
            if (size % BLOCK == 0) {
                blocks.add(new float[Math.min(BLOCK, Math.max(1, norms.length - size)) * dimension]);
            }
            if (size == norms.length) {
                norms = Arrays.copyOf(norms, size * 2);
                ids = Arrays.copyOf(ids, size * 2 * 4);
            }
            float[] block = blocks.get(size / BLOCK);
            int offset = (size % BLOCK) * dimension;
            if (offset + dimension > block.length) {
                block = Arrays.copyOf(block, Math.min(BLOCK * dimension, Math.max(block.length * 2,
                        offset + dimension)));
                blocks.set(size / BLOCK, block);
            }
            Vectors.unpackInto(packed, block, offset);
            double sum = 0;
            for (int i = 0; i < dimension; i++) {
                sum += (double) block[offset + i] * block[offset + i];
            }
            norms[size] = (float) Math.sqrt(sum);
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
            System.arraycopy(key, 0, ids, size * 4, 4);
            if (isLive) {
                live.set(size);
            }
            size++;
            return this;
        }

        public VectorIndex build() {
            float[][] trimmed = new float[blocks.size()][];
            for (int b = 0; b < blocks.size(); b++) {
                int vectors = Math.min(BLOCK, size - b * BLOCK);
                float[] block = blocks.get(b);
                trimmed[b] = block.length == vectors * dimension ? block
                        : Arrays.copyOf(block, vectors * dimension);
            }
            return new VectorIndex(dimension, size, trimmed, Arrays.copyOf(norms, size),
                    Arrays.copyOf(ids, size * 4), live);
        }
    }
}
