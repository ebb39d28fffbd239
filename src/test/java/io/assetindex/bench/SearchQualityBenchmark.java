package io.assetindex.bench;

import io.assetindex.testing.FakeAiApi;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.QualityCorpus;
import io.assetindex.testing.SearchQuality;
import io.assetindex.testing.SearchQuality.Mode;
import io.assetindex.testing.SearchQuality.Scores;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How well search finds what people look for (issue 14): the labelled query set of
 * {@code src/test/resources/search-quality/} over its corpus of 64 real files (photos with camera
 * EXIF, screenshots, videos with and without sound, recordings; an asset pool and a jobs root),
 * indexed by the packaged jar's {@code scan} with a local server answering as the vision and
 * speech models (a description and a timed transcript per file). Every query is run in each mode
 * with {@code search --json --limit 10} through the jar (asking a {@code serve} on the workspace,
 * as the CLI does when a service runs), and it prints MRR and recall@10 per mode and per kind, the
 * exact queries not ranked first, and PASS or FAIL for the two rules: hybrid's MRR above
 * keyword's and semantic's, and every exact query first in hybrid. Exits 1 when a rule fails.
 *
 * <p>Run: {@code mvn -q -DskipTests package test-compile && java -cp
 * target/test-classes:target/asset-index.jar io.assetindex.bench.SearchQualityBenchmark [--dir DIR]}
 * ({@code --dir}: the workspace, kept afterwards). A build without {@code search --mode} is
 * measured as semantic only.
 */
public final class SearchQualityBenchmark {
    private SearchQualityBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--dir")) {
                dir = Path.of(args[++i]).toAbsolutePath();
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path workspace = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("asset-index-quality");
        QualityCorpus corpus = QualityCorpus.load();
        boolean passed;
        try (FakeAiApi api = new FakeAiApi(corpus.answers())) {
            System.out.printf("asset-index search quality in %s (Java %s)%n", workspace, Runtime.version());
            corpus.write(workspace, api.baseUrl());
            long start = System.nanoTime();
            JarRunner.Result scan = JarRunner.run(workspace, "scan");
            if (scan.exitCode() != 0) {
                throw new IllegalStateException("scan failed (" + scan.exitCode() + "): " + scan.err());
            }
            System.out.printf("%d files indexed by the jar's scan with descriptions and transcripts in %.1f s "
                    + "(%d model calls)%n", corpus.files().size(), (System.nanoTime() - start) / 1e9, api.requests().size());
            if (!corpus.unmatchedUploads().isEmpty()) {
                System.out.println("WARNING: transcription uploads matching no file (bytes): " + corpus.unmatchedUploads());
            }
            passed = measure(workspace);
        } finally {
            if (dir == null) {
                LauncherWatcher.deleteTree(workspace);
            }
        }
        System.exit(passed ? 0 : 1);
    }

    /** Every query in every mode through the jar, asking a serve on the workspace; true when both rules hold. */
    private static boolean measure(Path workspace) {
        try (WatcherProcess server = WatcherProcess.launch(workspace, Map.of(WatcherProcess.ANY_PORT, "0"), "serve")) {
            server.apiUrl();
            boolean modeOption = JarRunner.run(workspace, "search", "anything", "--mode", "semantic", "--json")
                    .exitCode() == 0;
            List<SearchQuality.LabelledQuery> queries = SearchQuality.queries();
            Map<Mode, Scores> scores = new EnumMap<>(Mode.class);
            for (Mode mode : modeOption ? List.of(Mode.values()) : List.of(Mode.SEMANTIC)) {
                long start = System.nanoTime();
                scores.put(mode, SearchQuality.score(mode, queries, (text, m) -> {
                    JarRunner.Result run = JarRunner.run(workspace,
                            SearchQuality.arguments(text, m, modeOption).toArray(String[]::new));
                    if (run.exitCode() != 0) {
                        throw new IllegalStateException("search " + text + " failed (" + run.exitCode() + "): " + run.err());
                    }
                    return Json.read(run.out());
                }));
                System.out.printf("%s: %d queries in %.1f s%n", mode.option(), queries.size(),
                        Duration.ofNanos(System.nanoTime() - start).toMillis() / 1000.0);
            }
            System.out.println();
            System.out.print(SearchQuality.report(scores));
            return SearchQuality.hybridBeatsBoth(scores).orElse(false)
                    && SearchQuality.exactFirstInHybrid(scores).orElse(false);
        }
    }
}
