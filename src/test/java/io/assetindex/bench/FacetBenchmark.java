package io.assetindex.bench;

import io.assetindex.MediaType;
import io.assetindex.store.AssetFacets;
import io.assetindex.store.AssetSort;
import io.assetindex.store.FeedStamp;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.store.SearchFilter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What {@code list}'s total and facets cost on an index of {@code --assets} (100,000) assets: the
 * index {@link ServiceBenchmark#fill} writes, then AI tags as a describer gives them (3 to 8 an
 * asset, from 3,000 words, a few on far more assets than most, one in ten capitalized), a copy of
 * every tenth path under a second watch path, and one path in fifty deleted. For each filter it
 * prints the time of a page of 50 (as the web page asks) with its total and facets worked out
 * (cold: the first time, then the median of five more, not remembered), and of one whose total
 * and facets are remembered (cached, as the service pages through a filter: the median of its
 * first five pages, so only the page itself is read). These are read through {@link IndexReader}
 * in this JVM: the index's figures, without HTTP or a JVM's start. Then the wall time of
 * {@code asset-index list --local} from the packaged jar, a JVM's start included, as a person
 * without a running service waits for it.
 *
 * <p>Run: {@code mvn -q -DskipTests package test-compile && java -cp
 * target/test-classes:target/asset-index.jar io.assetindex.bench.FacetBenchmark [--assets 100000]}.
 * Needs about 700 MB of disk per 100,000 assets in the temp folder (deleted at the end).
 */
public final class FacetBenchmark {
    private static final int WORDS = 3_000;
    private static final int PAGES = 5;
    private static final int PAGE_SIZE = 50;

    private FacetBenchmark() {}

    public static void main(String[] args) throws Exception {
        int assets = args.length == 2 && args[0].equals("--assets") ? Integer.parseInt(args[1]) : 100_000;
        Path workspace = Files.createTempDirectory("facet-bench");
        try {
            Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [archive, raw_assets]\n");
            Path database = workspace.resolve(".asset_index/index.db");
            IndexDatabase.open(database, 1, Clock.systemUTC()).close();
            long start = System.nanoTime();
            ServiceBenchmark.fill(database, assets);
            tagAndCopy(database, assets);
            System.out.printf("index: %,d assets written in %.1f s%n", assets, (System.nanoTime() - start) / 1e9);
            try (IndexDatabase index = IndexDatabase.open(database, 2, Clock.systemUTC())) {
                measure(new IndexReader(index));
            }
            command(workspace);
        } finally {
            LauncherWatcher.deleteTree(workspace);
        }
    }

    /** Tags every asset, copies every tenth path under raw_assets, deletes one path in fifty. */
    private static void tagAndCopy(Path database, int assets) throws Exception {
        Random random = new Random(11);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + database)) {
            c.setAutoCommit(false);
            try (PreparedStatement tags = c.prepareStatement("UPDATE assets SET tags_json = ? WHERE rowid = ?")) {
                for (int n = 1; n <= assets; n++) {
                    StringBuilder json = new StringBuilder("[");
                    for (int i = 0; i < 3 + n % 6; i++) {
                        int word = (int) (Math.pow(random.nextDouble(), 2.5) * WORDS);
                        json.append(i == 0 ? "\"" : ", \"").append(random.nextInt(10) == 0 ? "Tag" : "tag").append(word)
                                .append('"');
                    }
                    tags.setString(1, json.append(']').toString());
                    tags.setInt(2, n);
                    tags.addBatch();
                    if (n % 5_000 == 0) {
                        tags.executeBatch();
                    }
                }
                tags.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes, mtime_ns,"
                        + " first_seen_at, last_seen_at) SELECT asset_id, 'raw_assets', 'copies/' || rel_path,"
                        + " '/raw_assets/copies/' || rel_path, size_bytes, 0, first_seen_at, last_seen_at"
                        + " FROM asset_paths WHERE id % 10 = 0");
                s.execute("UPDATE asset_paths SET deleted_at = last_seen_at WHERE id % 50 = 7");
            }
            c.commit();
        }
    }

    private static void measure(IndexReader reader) {
        Map<String, SearchFilter> filters = new LinkedHashMap<>();
        filters.put("no filter", SearchFilter.NONE);
        filters.put("type=video", filter(MediaType.VIDEO, null, null, List.of(), null, null));
        filters.put("root=raw_assets", filter(null, "raw_assets", null, List.of(), null, null));
        filters.put("root=archive", filter(null, "archive", null, List.of(), null, null));
        filters.put("root=archive&folder=shoot_7", filter(null, "archive", null, List.of(), null, "shoot_7"));
        filters.put("job=JOB-3", filter(null, null, "JOB-3", List.of(), null, null));
        filters.put("tag=tag5", filter(null, null, null, List.of("tag5"), null, null));
        filters.put("path=shoot_1", filter(null, null, null, List.of(), "shoot_1", null));
        filters.put("type=image&tag=tag5", filter(MediaType.IMAGE, null, null, List.of("tag5"), null, null));
        Remembered cache = new Remembered();
        System.out.printf("%-28s %8s %9s %9s %9s  %s%n", "filter", "matches", "cold ms", "again ms", "cached ms",
                "facet values (types/roots/jobs/tags)");
        filters.forEach((name, filter) -> {
            double cold = millis(() -> reader.list(filter, AssetSort.NEWEST, PAGE_SIZE, 0));
            double[] again = new double[5];
            for (int i = 0; i < again.length; i++) {
                again[i] = millis(() -> reader.list(filter, AssetSort.NEWEST, PAGE_SIZE, 0));
            }
            long total = reader.list(filter, AssetSort.NEWEST, PAGE_SIZE, 0, cache).total();
            double[] cached = new double[(int) Math.max(1, Math.min(PAGES, (total + PAGE_SIZE - 1) / PAGE_SIZE))];
            for (int page = 0; page < cached.length; page++) {
                int offset = page * PAGE_SIZE;
                cached[page] = millis(() -> reader.list(filter, AssetSort.NEWEST, PAGE_SIZE, offset, cache));
            }
            AssetFacets facets = cache.known.get(filter);
            System.out.printf("%-28s %,8d %9.1f %9.1f %9.1f  %d/%d/%d/%d%n", name, facets.total(), cold,
                    Measure.median(again), Measure.median(cached), facets.mediaTypes().size(), facets.roots().size(),
                    facets.jobs().size(), facets.tags().size());
        });
    }

    /** {@code asset-index list --local} from the jar: a JVM's start, the index opened, one page with its facets. */
    private static void command(Path workspace) throws Exception {
        Path jar = Path.of("target/asset-index.jar").toAbsolutePath();
        for (List<String> args : List.of(List.<String>of(), List.of("--type", "video"), List.of("--tag", "tag5"))) {
            double[] seconds = new double[3];
            for (int run = 0; run < seconds.length; run++) {
                List<String> command = new ArrayList<>(List.of("java", "-jar", jar.toString(), "list", "--local",
                        "--json"));
                command.addAll(args);
                seconds[run] = Measure.run(workspace, command).wallSeconds();
            }
            System.out.printf("asset-index list --local %s: %.2f s (median of %d, the JVM's start included)%n",
                    String.join(" ", args), Measure.median(seconds), seconds.length);
        }
    }

    private static SearchFilter filter(MediaType type, String root, String job, List<String> tags, String path,
            String folder) {
        return new SearchFilter(type, null, null, null, null, root, job, tags, path, null, folder);
    }

    private static double millis(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    /** Remembers the facets of every filter, whatever the feed's position (nothing changes while it runs). */
    private static final class Remembered implements IndexReader.FacetCache {
        final Map<SearchFilter, AssetFacets> known = new HashMap<>();

        @Override
        public AssetFacets get(SearchFilter filter, FeedStamp seq) {
            return known.get(filter);
        }

        @Override
        public void put(SearchFilter filter, FeedStamp seq, AssetFacets facets) {
            known.put(filter, facets);
        }
    }
}
