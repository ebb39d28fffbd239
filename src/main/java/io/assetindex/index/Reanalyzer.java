package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.FeedPosition;
import io.assetindex.store.IndexReader;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
    /** The change feed (see {@link #changedSince}). */
    private final IndexReader feed;
    private final AnalyzerChain chain;
    private final Clock clock;

    public Reanalyzer(IndexStore store, AnalyzerChain chain, Clock clock) {
        this.store = store;
        this.feed = new IndexReader(store.database());
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
        return run(listener, new Tally(retryGivenUp), null);
    }

    /**
     * Like {@link #run(Listener)}, for these assets only: a look at what changed (see {@link
     * #changedSince}) costs what changed, not what the index holds.
     */
    public Summary runAmong(Set<String> assetIds, Listener listener) {
        return run(listener, new Tally(false), assetIds);
    }

    private Summary run(Listener listener, Tally tally, Set<String> among) {
        for (Analyzer analyzer : chain.analyzers()) {
            if (!run(analyzer, false, listener, tally, among)) {
                break;
            }
        }
        return new Summary(tally.reanalyzed, tally.skipped, tally.failed, tally.unfinished);
    }

    /** Where the index's change feed is now: what commits later is {@link #changedSince after} it. */
    public FeedPosition feedHead() {
        return feed.changeHead();
    }

    /**
     * The assets whose paths or vectors changed after {@code after} up to {@code upTo} (what a
     * scan, an import or another watcher adds or moves), or empty when more than {@code max}
     * changed or the feed cannot tell (a model changed, or the feed no longer reaches back so
     * far): then look at every asset.
     */
    public Optional<Set<String>> changedSince(FeedPosition after, FeedPosition upTo, int max) {
        return feed.changedAssets(after, upTo, max);
    }

    /**
     * Runs one analyzer (and those that read its results) again: for the assets without a
     * result under its current settings, or, with {@code everyAsset}, for all of them, replacing
     * what it found before (for an AI analyzer, that is one paid call per asset).
     */
    public Summary rerun(Analyzer analyzer, boolean everyAsset, Listener listener) {
        Tally tally = new Tally(true);
        run(analyzer, everyAsset, listener, tally, null);
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

    /** One analyzer's pass, over every asset or those {@code among} (when not null); false when interrupted. */
    private boolean run(Analyzer analyzer, boolean everyAsset, Listener listener, Tally tally, Set<String> among) {
        Set<MediaType> types = EnumSet.noneOf(MediaType.class);
        for (MediaType type : MediaType.values()) {
            if (analyzer.appliesTo(type)) {
                types.add(type);
            }
        }
        // No asset has a result under this hash, so every asset is listed.
        String wanted = everyAsset ? analyzer.configHash() + "/requeued" : analyzer.configHash();
        Stale stale = among == null
                ? new Stale(store.countStaleAssets(analyzer.name(), wanted, types, tally.retryGivenUp),
                        after -> store.staleAssets(analyzer.name(), wanted, types, tally.retryGivenUp, after, PAGE))
                : Stale.of(store.staleAssetsAmong(analyzer.name(), wanted, types, tally.retryGivenUp, among));
        long total = stale.total();
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
        Window window = new Window(analyzer, cacheFor(analyzer, everyAsset, tally), listener, total, tally);
        try {
            String after = "";
            List<StaleAsset> page;
            while (!(page = stale.after().apply(after)).isEmpty()) {
                for (int from = 0; from < page.size(); from += analyzer.batchSize()) {
                    if (!window.submit(prepare(page.subList(from, Math.min(page.size(), from + analyzer.batchSize()))))) {
                        return !Thread.currentThread().isInterrupted();
                    }
                }
                after = page.get(page.size() - 1).id();
            }
            if (!window.drain()) {
                return !Thread.currentThread().isInterrupted();
            }
        } finally {
            window.close();
        }
        LOG.info("[{}] re-analysis done: {} of {} assets", analyzer.name(), window.done, total);
        if (analyzer instanceof EmbedAnalyzer && (among == null || window.done > 0)
                && store.countStaleAssets(analyzer.name(), analyzer.configHash(), types, false) == 0) {
            // Every asset has a vector of the new model: search switches to them at once.
            store.promoteVectors(analyzer.configHash());
            LOG.info("[embed] search now uses the new model's vectors");
        }
        return true;
    }

    /**
     * The assets an analyzer's pass works on: how many, and a page of them after an id ("" for the
     * first page), in the order of their ids.
     */
    private record Stale(long total, Function<String, List<StaleAsset>> after) {
        /** Stale assets read at once (those of a few changed assets), in the order of their ids. */
        static Stale of(List<StaleAsset> stale) {
            return new Stale(stale.size(), afterId -> {
                int from = 0;
                while (from < stale.size() && stale.get(from).id().compareTo(afterId) <= 0) {
                    from++;
                }
                return stale.subList(from, Math.min(stale.size(), from + PAGE));
            });
        }
    }

    /** The cache the pass reads; requeued, the analyzer's own results (all, or those that gave up) are not reused. */
    private AnalyzerChain.Cache cacheFor(Analyzer analyzer, boolean everyAsset, Tally tally) {
        return (hash, name, config) -> {
            Optional<AnalysisRecord> cached = store.cachedAnalysis(hash, name, config);
            if (!name.equals(analyzer.name())) {
                return cached;
            }
            return everyAsset ? Optional.empty()
                    : cached.filter(record -> !tally.retryGivenUp || !Json.read(record.resultJson()).has(GAVE_UP));
        };
    }

    private enum Result { DONE, SKIPPED, FAILED }

    /**
     * One analyzer's batches in flight: up to {@link Analyzer#parallelism()} analyzed at once (on
     * one pool for the pass; on the calling thread when it is 1), recorded one by one in the order
     * they were submitted. Pauses the pass after {@link #FAILED_BATCHES_TO_PAUSE} batches in a row
     * in which every file failed; what is already in flight is still recorded (it may have been paid for).
     */
    private final class Window implements AutoCloseable {
        private final Analyzer analyzer;
        private final AnalyzerChain.Cache cache;
        private final Listener listener;
        private final long total;
        private final Tally tally;
        private final ExecutorService pool;
        private final Deque<Future<Prepared>> inFlight = new ArrayDeque<>();
        long done;
        private int failedBatchesInARow;
        private boolean paused;

        Window(Analyzer analyzer, AnalyzerChain.Cache cache, Listener listener, long total, Tally tally) {
            this.analyzer = analyzer;
            this.cache = cache;
            this.listener = listener;
            this.total = total;
            this.tally = tally;
            this.pool = analyzer.parallelism() > 1
                    ? Executors.newFixedThreadPool(analyzer.parallelism(), Threads.daemon("reanalysis-" + analyzer.name()))
                    : null;
        }

        /** False when the pass must stop: paused, or interrupted. */
        boolean submit(Prepared batch) {
            if (Thread.currentThread().isInterrupted()) {
                return false;
            }
            if (pool == null) {
                batch.analyze(chain, cache, analyzer);
                return !Thread.currentThread().isInterrupted() && record(batch);
            }
            inFlight.add(pool.submit(() -> batch.analyze(chain, cache, analyzer), batch));
            while (inFlight.size() >= analyzer.parallelism()) {
                if (!recordOldest()) {
                    drain();
                    return false;
                }
            }
            return true;
        }

        /** Records what is in flight; false when the pass was paused or interrupted meanwhile. */
        boolean drain() {
            boolean going = true;
            while (!inFlight.isEmpty()) {
                going &= recordOldest();
                if (Thread.currentThread().isInterrupted()) {
                    return false;
                }
            }
            return going;
        }

        private boolean recordOldest() {
            try {
                return record(inFlight.poll().get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException e) {
                throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
            }
        }

        /** Records one analyzed batch; false once the pass is paused. */
        private boolean record(Prepared batch) {
            List<Result> results = batch.record(Reanalyzer.this, tally);
            for (Result result : results) {
                switch (result) {
                    case DONE -> tally.reanalyzed++;
                    case SKIPPED -> tally.skipped++;
                    case FAILED -> tally.failed++;
                }
            }
            boolean allFailed = !results.isEmpty() && results.stream().allMatch(r -> r == Result.FAILED);
            failedBatchesInARow = allFailed ? failedBatchesInARow + 1 : 0;
            done += results.size();
            listener.progressed(analyzer.name(), done, total);
            if (failedBatchesInARow >= FAILED_BATCHES_TO_PAUSE && !paused) {
                LOG.warn("[{}] re-analysis paused with {} of {} assets done: every file failed {} times in a row"
                        + " (last: {}); it is tried again later", analyzer.name(), done, total, failedBatchesInARow,
                        tally.lastFailure);
                tally.unfinished = true;
                paused = true;
            }
            return !paused;
        }

        @Override
        public void close() {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
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
                    durationMs, clock.instant()), analysis.computed(), null);
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
        try {
            WrittenFiles.sync(analysis.scratch());
        } catch (IOException e) {
            tally.lastFailure = "cannot write what was made for it under .asset_index: " + e.getMessage();
            LOG.warn("[watcher] failed {}: {}", shown, tally.lastFailure);
            return Result.FAILED;
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
