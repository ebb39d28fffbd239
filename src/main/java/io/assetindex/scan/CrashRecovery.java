package io.assetindex.scan;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.FileCandidate;
import io.assetindex.index.FileIndexer;
import io.assetindex.store.InFlightFile;
import io.assetindex.store.IndexStore;
import io.assetindex.util.ProcessOwner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the files that were being analysed when a process died, and keeps a file that brings the
 * process down from doing it again and again.
 *
 * <p>The indexer marks every file whose new content it analyses as in flight, and unmarks it in
 * the transaction that records the outcome. After a restart, a mark whose process no longer runs
 * names a file that was in flight when that process died: out of memory, a crash in native code,
 * or just a kill. Each such file is analysed again on its own, before anything else. When the
 * process dies while a file is analysed on its own, that file gets a strike; at
 * {@link #MAX_CRASHES} strikes it is recorded as failed (stage {@value #STAGE}) and is not tried
 * again until it changes, or 'asset-index requeue' or 'scan --rehash' asks for it. Two strikes are
 * needed because a kill can land by chance while a file is analysed alone.
 */
public final class CrashRecovery {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    /** The stage of the failure recorded for a file that crashed the process. */
    public static final String STAGE = FileIndexer.STAGE_CRASH;
    static final int MAX_CRASHES = 2;

    /** What recovery did: files analysed again alone, and files recorded as failed. */
    public record Summary(int retried, int failed) {
        public static final Summary NONE = new Summary(0, 0);
    }

    private final IndexStore store;
    private final FileIndexer indexer;
    private final MediaFilter filter;
    private final List<WatchRoot> roots;
    private final Predicate<String> running;

    /**
     * @param running whether the process named in a mark still runs ({@link ProcessOwner#isRunning})
     */
    CrashRecovery(IndexStore store, FileIndexer indexer, MediaFilter filter, List<WatchRoot> roots,
            Predicate<String> running) {
        this.store = store;
        this.indexer = indexer;
        this.filter = filter;
        this.roots = List.copyOf(roots);
        this.running = running;
    }

    /** Handles every file left in flight by a dead process, one at a time. Call before other work. */
    public Summary run() {
        int retried = 0;
        int failed = 0;
        String self = ProcessOwner.current();
        for (InFlightFile left : store.filesInFlight()) {
            if (left.owner().equals(self) || running.test(left.owner())) {
                continue;
            }
            Optional<FileCandidate> candidate = candidate(left);
            if (candidate.isEmpty()) {
                store.forgetInFlight(left); // gone, changed, or no longer under a watch path: a scan will see
                continue;
            }
            int crashes = left.alone() ? left.crashes() + 1 : left.crashes();
            if (!store.claimInFlight(left, self, crashes)) {
                continue; // another process starting at the same time took it
            }
            if (crashes >= MAX_CRASHES) {
                indexer.failedByCrash(candidate.get(), left.contentHash(), "the process stopped " + crashes
                        + " times while analysing it on its own (out of memory, or a crash in a decoder); it is not"
                        + " tried again until it changes, or 'asset-index requeue' asks for it");
                failed++;
                continue;
            }
            LOG.warn("[watcher] {} was being analysed when the process stopped{}; analysing it again on its own",
                    left.displayPath(), crashes == 0 ? "" : " (and again when it was analysed alone)");
            indexer.index(candidate.get(), true);
            retried++;
        }
        return new Summary(retried, failed);
    }

    /** The file as it is now, if it is still the one that was in flight and under a configured watch path. */
    private Optional<FileCandidate> candidate(InFlightFile left) {
        Optional<WatchRoot> root = roots.stream().filter(r -> r.name().equals(left.sourceRoot())).findFirst();
        Optional<MediaType> type = filter.mediaTypeOf(Path.of(left.relPath()));
        if (root.isEmpty() || type.isEmpty()) {
            return Optional.empty();
        }
        Path file = root.get().dir().resolve(left.relPath());
        try {
            BasicFileAttributes stat = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            long mtimeNs = stat.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            if (!stat.isRegularFile() || stat.size() != left.sizeBytes() || mtimeNs != left.mtimeNs()) {
                return Optional.empty();
            }
            return Optional.of(new FileCandidate(root.get(), file, left.relPath(), type.get(), stat.size(), mtimeNs));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
