package io.assetindex.index;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.store.IndexStore;
import io.assetindex.store.LogEntry;
import io.assetindex.store.StaleAsset;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

    /** Hears how it goes. */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** Starting on {@code total} assets for {@code analyzer}. */
        default void started(String analyzer, long total) {}

        default void progressed(String analyzer, long done, long total) {}
    }

    /** What was done: assets re-analyzed per analyzer, and those skipped because their file changed or failed. */
    public record Summary(long reanalyzed, long skipped, long failed) {
        public String line() {
            return reanalyzed + " assets re-analyzed, " + skipped + " skipped (file changed or gone), " + failed
                    + " failed";
        }
    }

    private final IndexStore store;
    private final AnalyzerChain chain;
    private final Clock clock;

    public Reanalyzer(IndexStore store, AnalyzerChain chain, Clock clock) {
        this.store = store;
        this.chain = chain;
        this.clock = clock;
    }

    public Summary run(Listener listener) {
        long reanalyzed = 0;
        long skipped = 0;
        long failed = 0;
        for (Analyzer analyzer : chain.analyzers()) {
            Set<MediaType> types = EnumSet.noneOf(MediaType.class);
            for (MediaType type : MediaType.values()) {
                if (analyzer.appliesTo(type)) {
                    types.add(type);
                }
            }
            long total = store.countStaleAssets(analyzer.name(), analyzer.configHash(), types);
            if (total == 0) {
                continue;
            }
            LOG.info("[{}] configuration changed: re-analyzing {} assets", analyzer.name(), total);
            listener.started(analyzer.name(), total);
            long done = 0;
            String after = "";
            List<StaleAsset> page;
            while (!(page = store.staleAssets(analyzer.name(), analyzer.configHash(), types, after, PAGE)).isEmpty()) {
                for (StaleAsset asset : page) {
                    if (Thread.currentThread().isInterrupted()) {
                        return new Summary(reanalyzed, skipped, failed);
                    }
                    switch (reanalyze(asset, analyzer)) {
                        case DONE -> reanalyzed++;
                        case SKIPPED -> skipped++;
                        case FAILED -> failed++;
                    }
                    listener.progressed(analyzer.name(), ++done, total);
                    after = asset.id();
                }
            }
            LOG.info("[{}] re-analysis done: {} of {} assets", analyzer.name(), done, total);
            if (analyzer instanceof EmbedAnalyzer
                    && store.countStaleAssets(analyzer.name(), analyzer.configHash(), types) == 0) {
                // Every asset has a vector of the new model: search switches to them at once.
                store.promoteVectors(analyzer.configHash());
                LOG.info("[embed] search now uses the new model's vectors");
            }
        }
        return new Summary(reanalyzed, skipped, failed);
    }

    private enum Result { DONE, SKIPPED, FAILED }

    private Result reanalyze(StaleAsset asset, Analyzer analyzer) {
        Path file = Path.of(asset.absPath());
        if (!stillTheSameFile(file, asset)) {
            return Result.SKIPPED;
        }
        long startNs = System.nanoTime();
        Analysis analysis = chain.run(new AnalysisInput(file, asset.mediaType(), asset.sizeBytes(), asset.id(),
                asset.relPath(), asset.jobId(), Json.object(), new HashMap<>()), store::cachedAnalysis, List.of(analyzer));
        if (Thread.currentThread().isInterrupted()) {
            return Result.SKIPPED;
        }
        String shown = WatchRoot.displayPath(asset.sourceRoot(), asset.relPath());
        long durationMs = (System.nanoTime() - startNs) / 1_000_000;
        if (analysis.fatal() != null) {
            LOG.warn("[watcher] failed {}: {}", shown, analysis.fatal().reason());
            store.recordFailure(LogEntry.failed(shown, asset.id(), analysis.fatal().analyzer(), analysis.fatal().reason(),
                    durationMs, clock.instant()), analysis.computed());
            return Result.FAILED;
        }
        List<Analysis.Failure> failures = analysis.failures();
        for (Analysis.Failure failure : failures) {
            LOG.warn("[{}] {}: {}", failure.analyzer(), shown, failure.reason());
        }
        if (analysis.computed().isEmpty()) {
            return failures.isEmpty() ? Result.SKIPPED : Result.FAILED;
        }
        store.recordReanalysis(asset.id(), analysis.computed(), analysis.facts(), Json.write(analysis.raw()),
                analysis.vector());
        return Result.DONE;
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
