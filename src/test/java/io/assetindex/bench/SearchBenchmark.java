package io.assetindex.bench;

import io.assetindex.search.VectorIndex.Hit;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.search.VectorIndex;
import io.assetindex.store.Vectors;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.sqlite.SQLiteConfig;

/**
 * The vector search benchmark: our exact in-memory {@link VectorIndex} against sqlite-vec's
 * {@code vec0} virtual table (also an exact, brute-force scan), side by side in one JVM run on
 * the same vectors and the same queries.
 *
 * <ol>
 *   <li>A: 100,000 random 384-dimension vectors (the local MiniLM model's size);</li>
 *   <li>B: 20,000 random 1536-dimension vectors (a typical remote embedding API's size).</li>
 * </ol>
 *
 * Vectors and queries are Gaussian random with a fixed seed, normalized to length 1 as embedding
 * models return them; ids are SHA-256 hex strings, as asset ids are. Both engines use the cosine
 * distance (1 - cos). For each scenario it prints:
 *
 * <ul>
 *   <li>the median and p90 time of one top-10 search over the same queries, after warm-up,
 *       alternating the engines query by query so machine noise hits all alike; ours on a fixed
 *       pool of one thread per core (as {@code SearchService} does); sqlite-vec (single-threaded,
 *       the KNN query {@code WHERE embedding MATCH ? AND k = 10} with the query as a float32
 *       BLOB) twice: on a vec0 table in a database file, as an index on disk is queried (its
 *       pages in the OS cache after warm-up), and on a vec0 table in an in-memory database
 *       (its best case); the ratios sqlite-vec / ours, the target (at least 8x) checked against
 *       the database file;</li>
 *   <li>whether both returned the same 10 ids in the same order for every query (details are
 *       printed for any query where they differ, with the distances in double precision), and
 *       the largest difference between the two engines' distances;</li>
 *   <li>memory: {@link VectorIndex#memoryBytes()} over the raw float32 size (target at most 0.3x: int8
 *       codes; the exact scores of the few candidates read their float32 vectors from a table in the
 *       database file, as the service reads assets_vec, and that read is part of the time measured),
 *       and as a cross-check the growth of the used heap (after {@code System.gc()}) from
 *       building the index.</li>
 * </ul>
 *
 * sqlite-vec is not part of the project: unless {@code --sqlite-vec} names a {@code vec0}
 * library, it is installed with {@code npm install sqlite-vec@0.1.9} into a temp folder (deleted
 * at the end), so this needs npm (Node.js) and access to the npm registry. Run: {@code mvn -q
 * -DskipTests package test-compile && java -XX:+UseTransparentHugePages
 * --enable-native-access=ALL-UNNAMED -cp target/test-classes:target/asset-index.jar
 * io.assetindex.bench.SearchBenchmark [--count-384 100000] [--count-1536 20000] [--queries 30]
 * [--sqlite-vec /path/to/vec0.so]}: huge pages as the launcher uses for {@code search} and
 * {@code similar}; the native-access flag silences JDK 22+'s warning about sqlite-jdbc.
 */
public final class SearchBenchmark {
    private static final int K = 10;
    private static final int WARM_UP_QUERIES = 10;
    private static final long SEED = 42;
    private static final double TARGET_RATIO = 8;
    private static final double TARGET_MEMORY = 0.3;
    private static final double MIB = 1 << 20;

    /** One data set: {@code count} random vectors of {@code dimension} dimensions. */
    private record Scenario(String name, int count, int dimension) {
        String title() {
            return String.format("%s: %,d x %d", name, count, dimension);
        }
    }

    /** What one scenario measured; times in milliseconds. */
    private record Outcome(Scenario scenario, double oursMedianMs, double oursP90Ms, double sqliteMedianMs,
            double sqliteP90Ms, double inMemoryMedianMs, int identical, int queries, double memoryRatio) {
        double ratio() {
            return sqliteMedianMs / oursMedianMs;
        }

        double inMemoryRatio() {
            return inMemoryMedianMs / oursMedianMs;
        }

        boolean passed() {
            return ratio() >= TARGET_RATIO && identical == queries && memoryRatio <= TARGET_MEMORY;
        }
    }

    private SearchBenchmark() {}

    public static void main(String[] args) throws Exception {
        int count384 = 100_000;
        int count1536 = 20_000;
        int queries = 30;
        Path sqliteVec = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--count-384" -> count384 = Integer.parseInt(args[++i]);
                case "--count-1536" -> count1536 = Integer.parseInt(args[++i]);
                case "--queries" -> queries = Integer.parseInt(args[++i]);
                case "--sqlite-vec" -> sqliteVec = Path.of(args[++i]).toAbsolutePath();
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (queries < 1 || count384 < K || count1536 < K) {
            throw new IllegalArgumentException("--queries must be at least 1 and each count at least " + K);
        }
        List<Scenario> scenarios = List.of(new Scenario("A", count384, 384), new Scenario("B", count1536, 1536));
        Path download = sqliteVec == null ? Files.createTempDirectory("asset-index-sqlite-vec") : null;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads, Threads.daemon("search"));
        boolean setupFailed = false;
        try {
            Path library = download == null ? sqliteVec : SqliteVec.install(download);
            System.out.printf("asset-index vector search benchmark (%d cores, Java %s)%n", threads, Runtime.version());
            System.out.printf("sqlite-vec %s from %s%n", SqliteVec.version(library), library);
            System.out.printf("vectors: Gaussian random (seed %d), normalized to length 1; cosine distance; top-%d;"
                    + " %d queries after %d warm-up%n", SEED, K, queries, WARM_UP_QUERIES);
            List<Outcome> outcomes = new ArrayList<>();
            for (Scenario scenario : scenarios) {
                outcomes.add(measure(scenario, queries, library, pool, threads));
            }
            printSummary(outcomes);
        } catch (SqliteVec.Unavailable e) {
            System.err.println("search benchmark: " + e.getMessage());
            setupFailed = true;
        } finally {
            pool.shutdownNow();
            if (download != null) {
                deleteTree(download);
            }
        }
        if (setupFailed) {
            System.exit(2);
        }
    }

    private static Outcome measure(Scenario scenario, int queryCount, Path library, ExecutorService pool, int threads)
            throws SQLException, IOException {
        int dimension = scenario.dimension();
        String[] ids = sortedIds(scenario.count());
        long rawBytes = (long) scenario.count() * dimension * Float.BYTES;
        System.out.printf("%n%s (%.1f MiB of raw float32 vectors)%n", scenario.title(), rawBytes / MIB);

        long heapBefore = Measure.usedHeapAfterGc();
        long start = System.nanoTime();
        VectorIndex index = buildIndex(ids, dimension);
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        long heapGrowth = Measure.usedHeapAfterGc() - heapBefore;
        double memoryRatio = (double) index.memoryBytes() / index.rawBytes();
        System.out.printf("  memory: index %.1f MiB = %.3fx raw (target <= %.1fx) %s; heap growth after GC %.1f MiB"
                + " = %.3fx raw%n", index.memoryBytes() / MIB, memoryRatio, TARGET_MEMORY,
                Measure.verdict(memoryRatio <= TARGET_MEMORY), heapGrowth / MIB, (double) heapGrowth / rawBytes);

        float[][] queries = randomVectors(new Random(SEED + dimension), queryCount, dimension);
        BitSet allowed = index.live();
        Path folder = Files.createTempDirectory("asset-index-search-bench");
        try (Connection onDisk = SqliteVec.open(library, "jdbc:sqlite:" + folder.resolve("vectors.db"));
                Connection inMemory = SqliteVec.open(library, "jdbc:sqlite::memory:")) {
            start = System.nanoTime();
            fillVecTable(onDisk, ids, dimension);
            double insertSeconds = (System.nanoTime() - start) / 1e9;
            fillVecTable(inMemory, ids, dimension);
            fillPlainTable(onDisk, ids, dimension);
            System.out.printf("  loading: asset-index built in %.1f s; sqlite-vec inserts in one transaction %.1f s%n",
                    buildSeconds, insertSeconds);
            VectorIndex.ExactVectors exact = exactFrom(onDisk);
            try (PreparedStatement knn = SqliteVec.knn(onDisk);
                    PreparedStatement knnInMemory = SqliteVec.knn(inMemory)) {
                for (int i = 0; i < WARM_UP_QUERIES; i++) {
                    float[] query = queries[i % queries.length];
                    index.search(query, K, Metric.COSINE, allowed, exact, pool, threads);
                    SqliteVec.search(knn, Vectors.pack(query), K, rowid -> ids[(int) rowid - 1]);
                    SqliteVec.search(knnInMemory, Vectors.pack(query), K, rowid -> ids[(int) rowid - 1]);
                }
                double[] oursMs = new double[queries.length];
                double[] sqliteMs = new double[queries.length];
                double[] inMemoryMs = new double[queries.length];
                int identical = 0;
                double largestDifference = 0;
                for (int q = 0; q < queries.length; q++) {
                    byte[] packed = Vectors.pack(queries[q]);
                    long oursStart = System.nanoTime();
                    List<Hit> ours = index.search(queries[q], K, Metric.COSINE, allowed, exact, pool, threads);
                    oursMs[q] = (System.nanoTime() - oursStart) / 1e6;
                    long sqliteStart = System.nanoTime();
                    List<Hit> theirs = SqliteVec.search(knn, packed, K, rowid -> ids[(int) rowid - 1]);
                    sqliteMs[q] = (System.nanoTime() - sqliteStart) / 1e6;
                    long inMemoryStart = System.nanoTime();
                    List<Hit> theirsInMemory = SqliteVec.search(knnInMemory, packed, K, rowid -> ids[(int) rowid - 1]);
                    inMemoryMs[q] = (System.nanoTime() - inMemoryStart) / 1e6;
                    if (ids(ours).equals(ids(theirs)) && ids(ours).equals(ids(theirsInMemory))) {
                        identical++;
                        for (int rank = 0; rank < ours.size(); rank++) {
                            largestDifference = Math.max(largestDifference,
                                    Math.abs(ours.get(rank).distance() - theirs.get(rank).distance()));
                        }
                    } else {
                        printMismatch(q, queries[q], ours, theirs, exact);
                    }
                }
                Outcome outcome = new Outcome(scenario, Measure.median(oursMs), Measure.percentile(oursMs, 90),
                        Measure.median(sqliteMs), Measure.percentile(sqliteMs, 90), Measure.median(inMemoryMs), identical,
                        queries.length, memoryRatio);
                System.out.printf("  top-%d: asset-index median %.2f ms, p90 %.2f ms (%d threads); sqlite-vec on a"
                        + " database file median %.2f ms, p90 %.2f ms; in memory median %.2f ms%n", K,
                        outcome.oursMedianMs(), outcome.oursP90Ms(), threads, outcome.sqliteMedianMs(),
                        outcome.sqliteP90Ms(), outcome.inMemoryMedianMs());
                System.out.printf("  ratio sqlite-vec / asset-index (medians): %.1fx on a database file (target >= %.0fx)"
                        + " %s; %.1fx in memory%n", outcome.ratio(), TARGET_RATIO,
                        Measure.verdict(outcome.ratio() >= TARGET_RATIO), outcome.inMemoryRatio());
                System.out.printf("  identical results: %d/%d queries %s (distances differ by at most %.1e)%n",
                        identical, queries.length, Measure.verdict(identical == queries.length), largestDifference);
                return outcome;
            }
        } finally {
            deleteTree(folder);
        }
    }

    private static void printSummary(List<Outcome> outcomes) {
        System.out.printf("%n%-18s %22s %22s %14s %11s %10s %17s %8s%n", "scenario", "asset-index median/p90",
                "sqlite-vec file med/p90", "ratio (>= 8x)", "in memory", "identical", "memory (<= 0.3x)", "verdict");
        for (Outcome outcome : outcomes) {
            System.out.printf("%-18s %22s %22s %13.1fx %10.1fx %10s %16.3fx %8s%n", outcome.scenario().title(),
                    times(outcome.oursMedianMs(), outcome.oursP90Ms()),
                    times(outcome.sqliteMedianMs(), outcome.sqliteP90Ms()), outcome.ratio(), outcome.inMemoryRatio(),
                    outcome.identical() + "/" + outcome.queries(), outcome.memoryRatio(),
                    Measure.verdict(outcome.passed()));
        }
    }

    private static String times(double medianMs, double p90Ms) {
        return String.format("%.2f / %.2f ms", medianMs, p90Ms);
    }

    /**
     * Adds the vectors in id order, generated on the fly so that nothing but the index stays on the
     * heap; {@link #fillVecTable} regenerates the same sequence from the same seed.
     */
    private static VectorIndex buildIndex(String[] ids, int dimension) {
        VectorIndex.Builder builder = VectorIndex.builder(dimension, ids.length);
        Random random = new Random(SEED);
        for (String id : ids) {
            builder.add(id, Vectors.pack(randomVector(random, dimension)), true);
        }
        return builder.build();
    }

    /** The vector of {@code ids[i]} goes to rowid {@code i + 1}. */
    private static void fillVecTable(Connection sqlite, String[] ids, int dimension) throws SQLException {
        try (Statement statement = sqlite.createStatement()) {
            statement.execute("DROP TABLE IF EXISTS vec_items");
            statement.execute("CREATE VIRTUAL TABLE vec_items USING vec0(embedding float[" + dimension
                    + "] distance_metric=cosine)");
        }
        sqlite.setAutoCommit(false);
        Random random = new Random(SEED);
        try (PreparedStatement insert = sqlite.prepareStatement(
                "INSERT INTO vec_items(rowid, embedding) VALUES (?, ?)")) {
            for (int i = 0; i < ids.length; i++) {
                insert.setLong(1, i + 1);
                insert.setBytes(2, Vectors.pack(randomVector(random, dimension)));
                insert.addBatch();
                if (i % 1000 == 999 || i == ids.length - 1) {
                    insert.executeBatch();
                }
            }
        }
        sqlite.commit();
        sqlite.setAutoCommit(true);
    }

    /** The float32 vectors as the index's table holds them: id and packed little-endian floats. */
    private static void fillPlainTable(Connection sqlite, String[] ids, int dimension) throws SQLException {
        try (Statement statement = sqlite.createStatement()) {
            statement.execute("CREATE TABLE vectors (id TEXT PRIMARY KEY, embedding BLOB NOT NULL) WITHOUT ROWID");
        }
        sqlite.setAutoCommit(false);
        Random random = new Random(SEED);
        try (PreparedStatement insert = sqlite.prepareStatement("INSERT INTO vectors (id, embedding) VALUES (?, ?)")) {
            for (String id : ids) {
                insert.setString(1, id);
                insert.setBytes(2, Vectors.pack(randomVector(random, dimension)));
                insert.addBatch();
            }
            insert.executeBatch();
        }
        sqlite.commit();
        sqlite.setAutoCommit(true);
    }

    /** Candidates' float32 vectors read from that table, as the service reads assets_vec. */
    private static VectorIndex.ExactVectors exactFrom(Connection sqlite) {
        return ids -> {
            java.util.Map<String, float[]> out = new java.util.HashMap<>();
            List<String> all = List.copyOf(ids);
            for (int from = 0; from < all.size(); from += 500) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
                String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
                try (PreparedStatement query = sqlite.prepareStatement("SELECT id, embedding FROM vectors WHERE id IN ("
                        + marks + ")")) {
                    for (int i = 0; i < chunk.size(); i++) {
                        query.setString(i + 1, chunk.get(i));
                    }
                    try (ResultSet rs = query.executeQuery()) {
                        while (rs.next()) {
                            out.put(rs.getString(1), Vectors.unpack(rs.getBytes(2)));
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            }
            return out;
        };
    }

    /**
     * Both rankings side by side, with each sqlite-vec hit's distance recomputed in double
     * precision: if those agree with our order, the difference is sqlite-vec's float32 rounding.
     */
    private static void printMismatch(int queryNumber, float[] query, List<Hit> ours, List<Hit> theirs,
            VectorIndex.ExactVectors exact) {
        System.out.printf("  query %d: different results%n  %4s  %-16s %-22s  %-16s %-22s %s%n", queryNumber, "rank",
                "asset-index", "distance", "sqlite-vec", "distance", "its distance in double");
        for (int rank = 0; rank < Math.max(ours.size(), theirs.size()); rank++) {
            String left = rank < ours.size()
                    ? String.format("%-16s %-22.17f", ours.get(rank).id().substring(0, 16), ours.get(rank).distance())
                    : " ".repeat(39);
            String right = "";
            if (rank < theirs.size()) {
                Hit hit = theirs.get(rank);
                right = String.format("%-16s %-22.17f %.17f", hit.id().substring(0, 16), hit.distance(),
                        cosineDistance(query, exact.of(List.of(hit.id())).get(hit.id())));
            }
            System.out.printf("  %4d  %s  %s%n", rank + 1, left, right);
        }
    }

    /** Synthetic asset ids: SHA-256 hex of "asset-N", sorted as the index needs them. */
    private static String[] sortedIds(int count) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String[] ids = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = HexFormat.of().formatHex(sha256.digest(("asset-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        Arrays.sort(ids);
        return ids;
    }

    private static float[][] randomVectors(Random random, int count, int dimension) {
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = randomVector(random, dimension);
        }
        return vectors;
    }

    private static float[] randomVector(Random random, int dimension) {
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            vector[i] = (float) random.nextGaussian();
        }
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        for (int i = 0; i < dimension; i++) {
            vector[i] /= (float) Math.sqrt(sum);
        }
        return vector;
    }

    private static double cosineDistance(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return 1 - dot / (Math.sqrt(aa) * Math.sqrt(bb));
    }

    private static List<String> ids(List<Hit> hits) {
        return hits.stream().map(Hit::id).toList();
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
