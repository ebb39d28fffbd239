package io.assetindex.bench;

import io.assetindex.search.VectorIndex;
import io.assetindex.search.VectorIndex.Hit;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.Vectors;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Vector search over the data set's index, in the benchmark's JVM, against sqlite-vec's {@code vec0}
 * on the same vectors and an exact float search.
 *
 * <p>The vectors are loaded as the service loads them (every active vector through {@link
 * IndexReader#activeVectors}, quantized into a {@link VectorIndex}): load time and memory. Then the
 * same top-10 queries (half near an asset's shoot, half anywhere; cosine) go, alternating query by
 * query, to our search (candidates re-scored from index.db's float32 vectors, as the service does),
 * to {@code vec0} in a database file of its own (its pages in the OS cache after warm-up) and to
 * {@code vec0} in an in-memory database (its best case). The ids must equal those of a brute-force
 * search computing every distance in double precision from the stored float32 vectors (made once
 * and kept in the data set's folder). Only assets with a live path take part, as in the service.
 */
final class MillionSearch {
    private static final int K = 10;
    private static final int WARM_UP = 10;

    /** What was measured; times in milliseconds. */
    record Figures(int vectors, double loadSeconds, long memoryBytes, long heapGrowthBytes, double oursMedianMs,
            double oursP90Ms, double fileMedianMs, double memoryMedianMs, int identicalToExact, int identicalToVec0,
            int queries, double oursCpuMs, double fileCpuMs, double memoryCpuMs) {
        double fileRatio() {
            return fileMedianMs / oursMedianMs;
        }

        double memoryRatio() {
            return memoryMedianMs / oursMedianMs;
        }
    }

    private final MillionDataSet data;
    private final Path library;

    MillionSearch(MillionDataSet data, Path library) {
        this.data = data;
        this.library = library;
    }

    Figures run(int queryCount) throws Exception {
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        List<Thread> poolThreads = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.ThreadFactory daemons = Threads.daemon("search");
        ExecutorService pool = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = daemons.newThread(task);
            poolThreads.add(thread);
            return thread;
        });
        SplittableRandom random = new SplittableRandom(99);
        List<float[]> queries = new ArrayList<>();
        for (int q = 0; q < queryCount; q++) {
            queries.add(data.catalog().query(random));
        }
        try (IndexDatabase database = IndexDatabase.open(data.database(), 2, Clock.systemUTC())) {
            IndexReader reader = new IndexReader(database);
            long heapBefore = Measure.usedHeapAfterGc();
            long start = System.nanoTime();
            VectorIndex.Builder builder = VectorIndex.builder(SyntheticCatalog.DIMENSION,
                    (int) reader.countActiveVectors());
            reader.activeVectors(builder::add);
            VectorIndex index = builder.build();
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long heapGrowth = Measure.usedHeapAfterGc() - heapBefore;
            System.out.printf("  loaded %,d vectors in %.1f s: %,d MiB held (%.3fx their float32), heap grew %,d MiB%n",
                    index.size(), loadSeconds, index.memoryBytes() >> 20, (double) index.memoryBytes() / index.rawBytes(),
                    heapGrowth >> 20);
            List<List<String>> exact = ExactTopK.cached(data, reader, queries, K);
            Path vecFile = vecDatabase();
            try (Connection onDisk = SqliteVec.open(library, "jdbc:sqlite:" + vecFile);
                    Connection inMemory = inMemoryCopy(vecFile);
                    PreparedStatement knnFile = SqliteVec.knn(onDisk);
                    PreparedStatement knnMemory = SqliteVec.knn(inMemory);
                    PreparedStatement idOf = onDisk.prepareStatement("SELECT id FROM ids WHERE rowid = ?")) {
                BitSet allowed = index.live();
                for (int i = 0; i < WARM_UP; i++) {
                    byte[] packed = Vectors.pack(queries.get(i % queries.size()));
                    index.search(queries.get(i % queries.size()), K, Metric.COSINE, allowed, reader::activeVectorsById,
                            pool, threads);
                    SqliteVec.search(knnFile, packed, K, rowid -> "");
                    SqliteVec.search(knnMemory, packed, K, rowid -> "");
                }
                double[] ours = new double[queries.size()];
                double[] file = new double[queries.size()];
                double[] memory = new double[queries.size()];
                double[] oursCpu = new double[queries.size()];
                double[] fileCpu = new double[queries.size()];
                double[] memoryCpu = new double[queries.size()];
                int identical = 0;
                int identicalVec0 = 0;
                for (int q = 0; q < queries.size(); q++) {
                    float[] query = queries.get(q);
                    byte[] packed = Vectors.pack(query);
                    // CPU time too (this thread's and the search threads'): what the machine's other load does not change.
                    long c0 = cpuNanos(poolThreads);
                    long t0 = System.nanoTime();
                    List<Hit> hits = index.search(query, K, Metric.COSINE, allowed, reader::activeVectorsById, pool,
                            threads);
                    long t1 = System.nanoTime();
                    long c1 = cpuNanos(poolThreads);
                    List<Hit> theirs = SqliteVec.search(knnFile, packed, K, Long::toString);
                    long t2 = System.nanoTime();
                    long c2 = cpuNanos(poolThreads);
                    SqliteVec.search(knnMemory, packed, K, rowid -> "");
                    long t3 = System.nanoTime();
                    long c3 = cpuNanos(poolThreads);
                    oursCpu[q] = (c1 - c0) / 1e6;
                    fileCpu[q] = (c2 - c1) / 1e6;
                    memoryCpu[q] = (c3 - c2) / 1e6;
                    ours[q] = (t1 - t0) / 1e6;
                    file[q] = (t2 - t1) / 1e6;
                    memory[q] = (t3 - t2) / 1e6;
                    List<String> ids = hits.stream().map(Hit::id).toList();
                    identical += ids.equals(exact.get(q)) ? 1 : 0;
                    identicalVec0 += ids.equals(idsOf(idOf, theirs)) ? 1 : 0;
                }
                return new Figures(index.size(), loadSeconds, index.memoryBytes(), heapGrowth, Measure.median(ours),
                        Measure.percentile(ours, 90), Measure.median(file), Measure.median(memory), identical, identicalVec0,
                        queries.size(), Measure.median(oursCpu), Measure.median(fileCpu), Measure.median(memoryCpu));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** CPU time of this thread and of the search threads, in nanoseconds. */
    private static long cpuNanos(List<Thread> poolThreads) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = threads.getCurrentThreadCpuTime();
        synchronized (poolThreads) {
            for (Thread thread : poolThreads) {
                sum += Math.max(0, threads.getThreadCpuTime(thread.getId()));
            }
        }
        return sum;
    }

    /** The asset ids of vec0's hits, named by rowid (looked up after the timing). */
    private static List<String> idsOf(PreparedStatement idOf, List<Hit> hits) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (Hit hit : hits) {
            idOf.setLong(1, Long.parseLong(hit.id()));
            try (ResultSet rs = idOf.executeQuery()) {
                ids.add(rs.next() ? rs.getString(1) : "?");
            }
        }
        return ids;
    }

    /**
     * A database file beside the data set with a vec0 table of the live assets' vectors (rowid n for
     * the n-th id in order) and the ids by rowid; made once.
     */
    private Path vecDatabase() throws SQLException, IOException {
        Path file = data.workspace().getParent().resolve("vec0.db");
        Path marker = data.workspace().getParent().resolve("vec0.done");
        if (Files.exists(marker)) {
            return file;
        }
        Files.deleteIfExists(file);
        long start = System.nanoTime();
        try (Connection c = SqliteVec.open(library, "jdbc:sqlite:" + file); Statement statement = c.createStatement()) {
            statement.execute("ATTACH DATABASE '" + data.database() + "' AS idx");
            statement.execute("CREATE VIRTUAL TABLE vec_items USING vec0(embedding float[" + SyntheticCatalog.DIMENSION
                    + "] distance_metric=cosine)");
            statement.execute("CREATE TABLE ids (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL)");
            c.setAutoCommit(false);
            statement.execute("INSERT INTO ids (rowid, id) SELECT row_number() OVER (ORDER BY v.id), v.id"
                    + " FROM idx.assets_vec v WHERE EXISTS (SELECT 1 FROM idx.asset_paths p WHERE p.asset_id = v.id"
                    + " AND p.deleted_at IS NULL)");
            statement.execute("INSERT INTO vec_items (rowid, embedding) SELECT i.rowid, v.embedding FROM ids i"
                    + " JOIN idx.assets_vec v ON v.id = i.id ORDER BY i.rowid");
            c.commit();
        }
        Files.writeString(marker, "");
        System.out.printf("  vec0 table made in %.0f s (%,d MiB)%n", (System.nanoTime() - start) / 1e9,
                Files.size(file) >> 20);
        return file;
    }

    private Connection inMemoryCopy(Path vecFile) throws SQLException {
        long start = System.nanoTime();
        Connection c = SqliteVec.open(library, "jdbc:sqlite::memory:");
        try (Statement statement = c.createStatement()) {
            statement.execute("ATTACH DATABASE '" + vecFile + "' AS f");
            statement.execute("CREATE VIRTUAL TABLE main.vec_items USING vec0(embedding float["
                    + SyntheticCatalog.DIMENSION + "] distance_metric=cosine)");
            c.setAutoCommit(false);
            statement.execute("INSERT INTO main.vec_items (rowid, embedding) SELECT rowid, embedding FROM f.vec_items");
            c.commit();
            c.setAutoCommit(true);
            statement.execute("DETACH DATABASE f");
        }
        System.out.printf("  vec0 copied into memory in %.0f s%n", (System.nanoTime() - start) / 1e9);
        return c;
    }

    /** The exact top-k of each query by brute force in double precision, kept in the data set's folder. */
    static final class ExactTopK {
        private ExactTopK() {}

        static List<List<String>> cached(MillionDataSet data, IndexReader reader, List<float[]> queries, int k)
                throws IOException {
            Path file = data.workspace().getParent().resolve("exact-top" + k + "-" + queries.size() + ".txt");
            if (Files.exists(file)) {
                return Files.readAllLines(file).stream().map(line -> List.of(line.split(" "))).toList();
            }
            long start = System.nanoTime();
            List<PriorityQueue<Hit>> best = new ArrayList<>();
            Comparator<Hit> worstFirst = Comparator.comparingDouble(Hit::distance).thenComparing(Hit::id).reversed();
            for (int q = 0; q < queries.size(); q++) {
                best.add(new PriorityQueue<>(worstFirst));
            }
            double[] queryNorms = queries.stream().mapToDouble(MillionSearch::norm).toArray();
            reader.activeVectors((id, packed, live, shape) -> {
                if (!live) {
                    return;
                }
                float[] vector = Vectors.unpack(packed);
                double vectorNorm = norm(vector);
                for (int q = 0; q < queries.size(); q++) {
                    float[] query = queries.get(q);
                    double dot = 0;
                    for (int i = 0; i < query.length; i++) {
                        dot += (double) query[i] * vector[i];
                    }
                    double distance = vectorNorm == 0 ? 1.0 : 1.0 - dot / (queryNorms[q] * vectorNorm);
                    PriorityQueue<Hit> top = best.get(q);
                    Hit hit = new Hit(id, distance);
                    if (top.size() < k) {
                        top.add(hit);
                    } else if (worstFirst.compare(hit, top.peek()) > 0) {
                        top.poll();
                        top.add(hit);
                    }
                }
            });
            List<List<String>> exact = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (PriorityQueue<Hit> top : best) {
                List<String> ids = top.stream().sorted(worstFirst.reversed()).map(Hit::id).toList();
                exact.add(ids);
                lines.add(String.join(" ", ids));
            }
            Files.write(file, lines);
            System.out.printf("  exact top-%d of %d queries by brute force in %.0f s%n", k, queries.size(),
                    (System.nanoTime() - start) / 1e9);
            return exact;
        }
    }

    private static double norm(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        return Math.sqrt(sum);
    }
}
