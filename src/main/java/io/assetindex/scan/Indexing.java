package io.assetindex.scan;

import io.assetindex.config.AppConfig;
import io.assetindex.index.AnalyzerChain;
import io.assetindex.index.BasicProbe;
import io.assetindex.index.FileIndexer;
import io.assetindex.index.Sha256Hasher;
import io.assetindex.store.IndexStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The indexing parts for one configuration, built once and shared by the one-shot scan and
 * the watcher: the filter, the per-file indexer with the standard analyzers, and the scanner.
 *
 * @param neverEnter folders never walked or watched into: the data folder and every watch root
 *                   (a nested root is handled as its own root)
 */
public record Indexing(MediaFilter filter, FileIndexer indexer, Scanner scanner, Set<Path> neverEnter) {

    public static Indexing create(AppConfig config, IndexStore store, Clock clock) {
        MediaFilter filter = new MediaFilter(config.mediaTypeByExtension(), config.ignoreGlobs());
        FileIndexer indexer = new FileIndexer(store, new AnalyzerChain(List.of(new BasicProbe())), new Sha256Hasher(), clock);
        Set<Path> neverEnter = new HashSet<>();
        neverEnter.add(config.workspace().dataDir());
        config.watchRoots().forEach(root -> neverEnter.add(root.dir()));
        Scanner scanner = new Scanner(store, indexer, new TreeWalker(filter, neverEnter), config.workers());
        return new Indexing(filter, indexer, scanner, Set.copyOf(neverEnter));
    }
}
