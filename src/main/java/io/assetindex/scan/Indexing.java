package io.assetindex.scan;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.AnalyzerChain;
import io.assetindex.config.MediaSettings;
import io.assetindex.embed.Embedders;
import io.assetindex.index.Analyzer;
import io.assetindex.index.AnalyzerSettings;
import io.assetindex.index.DescribeAnalyzer;
import io.assetindex.index.EmbedAnalyzer;
import io.assetindex.index.TranscribeAnalyzer;
import io.assetindex.index.IntegrityAnalyzer;
import io.assetindex.index.IntegrityJudge;
import io.assetindex.index.ProbeAnalyzer;
import io.assetindex.index.Reanalyzer;
import io.assetindex.index.ThumbnailAnalyzer;
import io.assetindex.media.MediaTools;
import io.assetindex.index.FileIndexer;
import io.assetindex.index.Sha256Hasher;
import io.assetindex.index.Turns;
import io.assetindex.store.ConfigSnapshot;
import io.assetindex.store.IndexStore;
import io.assetindex.util.Json;
import io.assetindex.util.ProcessOwner;
import io.assetindex.util.ProgramVersion;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexing parts for one configuration, built once and shared by the one-shot scan and
 * the watcher: the filter, the per-file indexer with the standard analyzers, the scanner, and
 * the re-analyzer that brings existing assets up to date when an analyzer's settings change.
 *
 * @param neverEnter folders never walked or watched into: the data folder and every watch root
 *                   (a nested root is handled as its own root)
 */
public record Indexing(MediaFilter filter, FileIndexer indexer, Scanner scanner, Reanalyzer reanalyzer,
        CrashRecovery crashRecovery, Set<Path> neverEnter, AiServices ai) {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    /**
     * @param environment reads environment variables (an embedding API's key)
     */
    public static Indexing create(AppConfig config, IndexStore store, Clock clock, Function<String, String> environment) {
        MediaFilter filter = new MediaFilter(config.mediaTypeByExtension(), config.ignoreGlobs());
        AiServices ai = new AiServices(config.ai(), environment, clock);
        AnalyzerChain analyzers = analyzers(config, environment, ai, store.integrity()::accepted);
        rejudgeIntegrity(analyzers, store);
        recordSettings(store, analyzers, clock);
        FileIndexer indexer = new FileIndexer(store, analyzers, new Sha256Hasher(), clock, new Turns(config.workers()));
        Set<Path> neverEnter = new HashSet<>();
        neverEnter.add(config.workspace().dataDir());
        config.watchRoots().forEach(root -> neverEnter.add(root.dir()));
        Set<String> watchPaths = config.watchRoots().stream().map(WatchRoot::name).collect(Collectors.toSet());
        MovedRoots movedRoots = new MovedRoots(store, config.workspace().root(), watchPaths);
        Scanner scanner = new Scanner(store, indexer, new TreeWalker(filter, neverEnter), filter, movedRoots,
                watchPaths, clock);
        CrashRecovery crashRecovery = new CrashRecovery(store, indexer, filter, config.watchRoots(),
                ProcessOwner::isRunning);
        return new Indexing(filter, indexer, scanner, new Reanalyzer(store, analyzers, clock), crashRecovery,
                Set.copyOf(neverEnter), ai);
    }

    /**
     * Judges the cached integrity verdicts again when integrity.ignore_patterns changed since they
     * were judged, without reading any file: a file that failed the check and is now judged
     * readable is indexed by the next scan (the watcher's start-up scan tries failed files again).
     */
    private static void rejudgeIntegrity(AnalyzerChain analyzers, IndexStore store) {
        analyzers.analyzers().stream().filter(IntegrityAnalyzer.class::isInstance).map(IntegrityAnalyzer.class::cast)
                .findFirst().ifPresent(integrity -> {
                    int changed = store.integrity().rejudge((json, type) ->
                            integrity.rejudged((ObjectNode) Json.read(json), type).map(Json::write));
                    if (changed > 0) {
                        LOG.info("[integrity] {} cached verdicts judged again under the current"
                                + " integrity.ignore_patterns", changed);
                    }
                });
    }

    /**
     * Records the settings behind the config hashes of this pipeline, each analyzer's and the
     * whole pipeline's, once per hash (a hash the index knows keeps its first record): whatever the
     * config says later, the results made now stay explainable.
     */
    private static void recordSettings(IndexStore store, AnalyzerChain analyzers, Clock clock) {
        Instant now = clock.instant();
        String version = ProgramVersion.current();
        List<ConfigSnapshot> snapshots = new ArrayList<>();
        analyzers.analyzers().forEach(analyzer -> snapshots.add(analyzer.settings().snapshot(version, now)));
        snapshots.add(FileIndexer.pipelineSettings(analyzers).snapshot(version, now));
        store.recordConfigSnapshots(snapshots);
    }

    /**
     * The settings of the analyzers {@link #analyzers} makes of this config, in the same order,
     * without making them (no tool, model or API client): what a result must have been computed
     * with to be current.
     */
    public static List<AnalyzerSettings> settings(AppConfig config) {
        MediaSettings media = config.media();
        List<AnalyzerSettings> settings = new ArrayList<>();
        settings.add(ProbeAnalyzer.SETTINGS);
        settings.add(IntegrityAnalyzer.settings(media.integrityDeep()));
        if (media.thumbnailSize() > 0) {
            settings.add(ThumbnailAnalyzer.settings(media.thumbnailSize(), media.thumbnailQuality()));
        }
        if (config.ai().transcribe() != null) {
            settings.add(TranscribeAnalyzer.settings(config.ai()));
        }
        if (config.ai().describe() != null) {
            settings.add(DescribeAnalyzer.settings(config.ai()));
        }
        settings.add(EmbedAnalyzer.settings(config.embedding().identity()));
        return settings;
    }

    /**
     * The standard analyzers, in order: probe, integrity, thumbnail (unless thumbnails are off),
     * transcribe and describe (when their models are set), embed.
     */
    static AnalyzerChain analyzers(AppConfig config, Function<String, String> environment, AiServices ai,
            IntegrityAnalyzer.Acceptances acceptances) {
        MediaSettings media = config.media();
        MediaTools tools = new MediaTools(media, config.workspace().cacheDir());
        List<Analyzer> analyzers = new ArrayList<>();
        analyzers.add(new ProbeAnalyzer(tools));
        analyzers.add(new IntegrityAnalyzer(tools, media.integrityDeep(), media.thumbnailSize(),
                new IntegrityJudge(config.integrity()), acceptances));
        if (media.thumbnailSize() > 0) {
            analyzers.add(new ThumbnailAnalyzer(tools, config.workspace().dataDir(), media.thumbnailSize(),
                    media.thumbnailQuality()));
        }
        ai.transcriber().ifPresent(transcriber ->
                analyzers.add(new TranscribeAnalyzer(tools, transcriber, config.ai())));
        ai.describer().ifPresent(describer -> analyzers.add(new DescribeAnalyzer(tools, describer, config.ai())));
        analyzers.add(new EmbedAnalyzer(Embedders.create(config.embedding(), environment,
                config.workspace().cacheDir())));
        return new AnalyzerChain(analyzers);
    }
}
