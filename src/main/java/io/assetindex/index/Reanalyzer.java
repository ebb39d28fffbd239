package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.IndexStore;
import io.assetindex.store.LogEntry;
import io.assetindex.store.StaleAsset;
import io.assetindex.util.Json;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings assets up to date with the analyzers' current configuration: for each analyzer,
 * every asset without a result under its current config hash is analyzed again by that
 * analyzer only (the others' results come from the cache), and its facts are rebuilt. So a
 * changed thumbnail size re-makes thumbnails and calls nothing else, and an unchanged
 * configuration calls no analyzer at all.
 *
 * <p>An asset is read from its most recently seen live path, and only if that file still has
 * the size and mtime recorded when its content was hashed (otherwise it changed, and the next
 * scan or event indexes it). A required analyzer that now rejects the content (a deep
 * integrity check finding damage) leaves the asset in place, records the verdict, and writes
 * a {@code failed} process_log row saying why. Stops between assets when interrupted.
 */
public final class Reanalyzer {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    private static final int PAGE = 200;
    /** The key of a result that records an analyzer gave up on the content (see {@link #run(Listener, boolean)}). */
    public static final String GAVE_UP = "gave_up";
    /** The changing end of an outage message ("; not asking again before 10:15:03"). */
    private static final Pattern UNTIL = Pattern.compile("; not asking again before .*$");

    /** Hears how it goes. */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** Starting on {@code total} assets for {@code analyzer}. */
        default void started(String analyzer, long total) {}

        default void progressed(String analyzer, long done, long total) {}
    }

    /**
     * What was done.
     *
     * @param skipped    assets whose file changed or is gone (the next scan or event indexes them)
     * @param unfinished an analyzer's pass was paused because every file kept failing (its remote
     *                   API is down): run again later
     */
    public record Summary(long reanalyzed, long skipped, long failed, boolean unfinished) {
        public String line() {
            return reanalyzed + " assets re-analyzed, " + skipped + " skipped (file changed or gone), " + failed
                    + " failed" + (unfinished ? ", paused (see the log)" : "");
        }
    }

    /** Consecutive batches in which every file failed, after which an analyzer's pass is paused. */
    static final int FAILED_BATCHES_TO_PAUSE = 3;

    private final IndexStore store;
    private final AnalyzerChain chain;
    private final Clock clock;

    public Reanalyzer(IndexStore store, AnalyzerChain chain, Clock clock) {
        this.store = store;
        this.chain = chain;
        this.clock = clock;
    }

    /** Whether some analyzers run only here, after their files are indexed (AI enrichment). */
    public boolean hasDeferred() {
        return chain.hasDeferred();
    }

    public Summary run(Listener listener) {
        return run(listener, false);
    }

    /**
     * @param retryGivenUp also run again where an analyzer gave up (its model's answers could not
     *                     be used): what {@code requeue} asks for; the automatic passes do not, so
     *                     a model that cannot describe a file is not paid again and again
     */
    public Summary run(Listener listener, boolean retryGivenUp) {
        Tally tally = new Tally(retryGivenUp);
        for (Analyzer analyzer : chain.analyzers()) {
            if (!run(analyzer, false, listener, tally)) {
                break;
            }
        }
        return new Summary(tally.reanalyzed, tally.skipped, tally.failed, tally.unfinished);
    }

    /**
     * Runs one analyzer (and those that read its results) again: for the assets without a
     * result under its current settings, or, with {@code everyAsset}, for all of them, replacing
     * what it found before (for an AI analyzer, that is one paid call per asset).
     */
    public Summary rerun(Analyzer analyzer, boolean everyAsset, Listener listener) {
        Tally tally = new Tally(true);
        run(analyzer, everyAsset, listener, tally);
        return new Summary(tally.reanalyzed, tally.skipped, tally.failed, tally.unfinished);
    }

    public List<Analyzer> analyzers() {
        return chain.analyzers();
    }

    /** Counts across analyzers. */
    private static final class Tally {
        long reanalyzed;
        long skipped;
        long failed;
        boolean unfinished;
        String lastFailure;
        final Set<String> reported = ConcurrentHashMap.newKeySet();
        final boolean retryGivenUp;

        Tally(boolean retryGivenUp) {
            this.retryGivenUp = retryGivenUp;
        }
    }

    /** One analyzer's pass; false when interrupted. */
    private boolean run(Analyzer analyzer, boolean everyAsset, Listener listener, Tally tally) {
        Set<MediaType> types = EnumSet.noneOf(MediaType.class);
        for (MediaType type : MediaType.values()) {
            if (analyzer.appliesTo(type)) {
                types.add(type);
            }
        }
        // No asset has a result under this hash, so every asset is listed.
        String wanted = everyAsset ? analyzer.configHash() + "/requeued" : analyzer.configHash();
        long total = store.countStaleAssets(analyzer.name(), wanted, types, tally.retryGivenUp);
        if (total == 0) {
            return true;
        }
        if (everyAsset) {
            LOG.info("[{}] re-analyzing all {} assets (requeued)", analyzer.name(), total);
        } else {
            LOG.info("[{}] {} assets have no result under the current settings: re-analyzing them", analyzer.name(),
                    total);
        }
        listener.started(analyzer.name(), total);
        long done = 0;
        int failedBatches = 0;
        String after = "";
        List<StaleAsset> page;
        while (!(page = store.staleAssets(analyzer.name(), wanted, types, tally.retryGivenUp, after, PAGE)).isEmpty()) {
            List<List<StaleAsset>> batches = new ArrayList<>();
            for (int from = 0; from < page.size(); from += analyzer.batchSize()) {
                batches.add(page.subList(from, Math.min(page.size(), from + analyzer.batchSize())));
            }
            // Up to parallelism() batches are analyzed at once (requests in flight to a remote API);
            // their results are recorded one by one, in order.
            for (int from = 0; from < batches.size(); from += analyzer.parallelism()) {
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
                List<List<StaleAsset>> group = batches.subList(from, Math.min(batches.size(), from + analyzer.parallelism()));
                List<List<Result>> groupResults = reanalyzeTogether(group, analyzer, everyAsset, tally);
                if (groupResults == null) {
                    return false;
                }
                for (int i = 0; i < group.size(); i++) {
                    List<StaleAsset> batch = group.get(i);
                    long failed = groupResults.get(i).stream().filter(r -> r == Result.FAILED).count();
                    for (Result result : groupResults.get(i)) {
                        switch (result) {
                            case DONE -> tally.reanalyzed++;
                            case SKIPPED -> tally.skipped++;
                            case FAILED -> tally.failed++;
                        }
                    }
                    failedBatches = failed == batch.size() ? failedBatches + 1 : 0;
                    done += batch.size();
                }
                listener.progressed(analyzer.name(), done, total);
                if (failedBatches >= FAILED_BATCHES_TO_PAUSE) {
                    LOG.warn("[{}] re-analysis paused with {} of {} assets done: every file failed {} times in a row"
                            + " (last: {}); it is tried again later", analyzer.name(), done, total, failedBatches,
                            tally.lastFailure);
                    tally.unfinished = true;
                    return true;
                }
            }
            after = page.get(page.size() - 1).id();
        }
        LOG.info("[{}] re-analysis done: {} of {} assets", analyzer.name(), done, total);
        if (analyzer instanceof EmbedAnalyzer
                && store.countStaleAssets(analyzer.name(), analyzer.configHash(), types, false) == 0) {
            // Every asset has a vector of the new model: search switches to them at once.
            store.promoteVectors(analyzer.configHash());
            LOG.info("[embed] search now uses the new model's vectors");
        }
        return true;
    }

    private enum Result { DONE, SKIPPED, FAILED }

    /** Analyzes each batch on its own thread (one for a single batch), then records them in order; null when interrupted. */
    private List<List<Result>> reanalyzeTogether(List<List<StaleAsset>> batches, Analyzer analyzer, boolean everyAsset,
            Tally tally) {
        List<Prepared> prepared = batches.stream().map(Reanalyzer::prepare).toList();
        // Requeued: the analyzer's own cached results (all, or those that gave up) are not reused.
        AnalyzerChain.Cache cache = (hash, name, config) -> {
            Optional<AnalysisRecord> cached = store.cachedAnalysis(hash, name, config);
            if (!name.equals(analyzer.name())) {
                return cached;
            }
            return everyAsset ? Optional.empty()
                    : cached.filter(record -> !tally.retryGivenUp || !Json.read(record.resultJson()).has(GAVE_UP));
        };
        if (prepared.size() > 1) {
            List<Callable<Void>> tasks = new ArrayList<>();
            prepared.forEach(batch -> tasks.add(() -> {
                batch.analyze(chain, cache, analyzer);
                return null;
            }));
            ExecutorService pool = Executors.newFixedThreadPool(prepared.size(), Threads.daemon("reanalysis-" + analyzer.name()));
            try {
                for (Future<Void> future : pool.invokeAll(tasks)) {
                    future.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            } finally {
                pool.shutdownNow();
            }
        } else {
            prepared.get(0).analyze(chain, cache, analyzer);
        }
        if (Thread.currentThread().isInterrupted()) {
            return null;
        }
        List<List<Result>> results = new ArrayList<>();
        for (Prepared batch : prepared) {
            results.add(batch.record(this, tally));
        }
        return results;
    }

    /** A batch whose files are still as indexed, ready to analyze; the others are skipped. */
    private static final class Prepared {
        final List<Result> skipped = new ArrayList<>();
        final List<StaleAsset> present = new ArrayList<>();
        final List<AnalysisInput> inputs = new ArrayList<>();
        List<Analysis> analyses = List.of();
        long durationMs;

        void analyze(AnalyzerChain chain, AnalyzerChain.Cache cache, Analyzer analyzer) {
            if (present.isEmpty()) {
                return;
            }
            long startNs = System.nanoTime();
            analyses = chain.runAll(inputs, cache, List.of(analyzer));
            durationMs = (System.nanoTime() - startNs) / 1_000_000 / present.size();
        }

        List<Result> record(Reanalyzer reanalyzer, Tally tally) {
            List<Result> results = new ArrayList<>(skipped);
            for (int i = 0; i < present.size(); i++) {
                results.add(reanalyzer.record(present.get(i), analyses.get(i), durationMs, tally));
            }
            return results;
        }
    }

    private static Prepared prepare(List<StaleAsset> assets) {
        Prepared prepared = new Prepared();
        for (StaleAsset asset : assets) {
            Path file = Path.of(asset.absPath());
            if (stillTheSameFile(file, asset)) {
                prepared.present.add(asset);
                prepared.inputs.add(new AnalysisInput(file, asset.mediaType(), asset.sizeBytes(), asset.id(),
                        asset.relPath(), asset.jobId(), Json.object(), new HashMap<>()));
            } else {
                prepared.skipped.add(Result.SKIPPED);
            }
        }
        return prepared;
    }

    private Result record(StaleAsset asset, Analysis analysis, long durationMs, Tally tally) {
        String shown = WatchRoot.displayPath(asset.sourceRoot(), asset.relPath());
        if (analysis.fatal() != null) {
            tally.lastFailure = analysis.fatal().reason();
            LOG.warn("[watcher] failed {}: {}", shown, analysis.fatal().reason());
            store.recordFailure(LogEntry.failed(shown, asset.id(), analysis.fatal().analyzer(), analysis.fatal().reason(),
                    durationMs, clock.instant()), analysis.computed());
            return Result.FAILED;
        }
        List<Analysis.Failure> failures = analysis.failures();
        for (Analysis.Failure failure : failures) {
            // One line per distinct problem and pass: an API that is down fails every file alike.
            String problem = failure.analyzer() + ": " + UNTIL.matcher(failure.reason()).replaceAll("");
            if (tally.reported.add(problem)) {
                LOG.warn("[{}] {}: {}", failure.analyzer(), shown, failure.reason());
            } else {
                LOG.debug("[{}] {}: {}", failure.analyzer(), shown, failure.reason());
            }
            tally.lastFailure = failure.reason();
        }
        VectorGate.Passed passed = VectorGate.check(store, analysis, shown);
        if (passed.refusal() != null) {
            tally.lastFailure = passed.refusal();
        }
        if (passed.computed().isEmpty()) {
            return failures.isEmpty() && passed.refusal() == null ? Result.SKIPPED : Result.FAILED;
        }
        store.recordReanalysis(asset.id(), passed.computed(), passed.facts(), Json.write(passed.raw()), passed.vector());
        boolean gaveUp = false;
        for (AnalysisRecord record : passed.computed()) {
            JsonNode result = passed.raw().path(record.analyzer());
            if (result.has(GAVE_UP)) {
                gaveUp = true;
                tally.lastFailure = result.get(GAVE_UP).asText();
                LOG.warn("[{}] {}: {}; not asked again until 'asset-index requeue'", record.analyzer(), shown,
                        tally.lastFailure);
            }
        }
        return passed.refusal() == null && !gaveUp ? Result.DONE : Result.FAILED;
    }

    private static boolean stillTheSameFile(Path file, StaleAsset asset) {
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return now.isRegularFile() && now.size() == asset.pathSizeBytes()
                    && now.lastModifiedTime().to(TimeUnit.NANOSECONDS) == asset.pathMtimeNs();
        } catch (IOException e) {
            return false;
        }
    }
}
