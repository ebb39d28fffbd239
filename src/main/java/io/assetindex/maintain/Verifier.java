package io.assetindex.maintain;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.FileCandidate;
import io.assetindex.index.FileIndexer;
import io.assetindex.index.FileOutcome;
import io.assetindex.index.Hasher;
import io.assetindex.index.OutcomeCounts;
import io.assetindex.index.ThumbnailAnalyzer;
import io.assetindex.scan.MediaFilter;
import io.assetindex.scan.VolumeGuard;
import io.assetindex.store.DerivedFile;
import io.assetindex.store.IndexStore;
import io.assetindex.store.KnownPath;
import io.assetindex.store.RunCounts;
import io.assetindex.store.RunKind;
import io.assetindex.store.RunResult;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code verify}: checks every live path of the index against the disk and fixes the index.
 *
 * <ul>
 *   <li>a path that is gone (or no longer a media file the filter accepts) is marked deleted, as
 *       a scan would; never under a missing watch root (an unmounted disk), and never for a file
 *       that cannot be looked at (permission denied): those are reported and kept;</li>
 *   <li>a file whose size or mtime differ from the index was changed or replaced behind the
 *       index's back: it is indexed again through the normal indexer (new content is analyzed,
 *       a touched file with the same bytes is only re-recorded);</li>
 *   <li>with rehash, every other file is read and its SHA-256 compared with the asset it is
 *       recorded as; a mismatch (content changed with size and mtime kept, or bit rot) is
 *       indexed again, forced;</li>
 *   <li>a thumbnail recorded but missing from {@code .asset_index/thumbs/} is forgotten, so the
 *       next scan or watch makes it again.</li>
 * </ul>
 *
 * Media files are only ever read. Files on disk that the index does not know are a scan's job.
 * The paths are read a page at a time, so memory does not grow with the index (what is held is
 * the findings and the paths found gone).
 * Each run is a {@code verify} run of the scan history, with what it read and found.
 */
public final class Verifier {
    /** Paths (and thumbnails) read from the index at a time: what verify holds, however large the index. */
    private static final int PAGE = 5_000;

    /** One thing found, and what was done about it. */
    public record Finding(String path, String problem, String action) {}

    /** What verify found. */
    public record Report(long checked, long vanished, long changed, long mismatched, long unreadable,
            long missingThumbnails, long bytesHashed, List<String> missingRoots, List<Finding> findings,
            double seconds) {

        public String line() {
            return String.format("%d paths checked: %d vanished, %d changed, %d content mismatches, %d unreadable,"
                    + " %d thumbnails missing in %.1fs", checked, vanished, changed, mismatched, unreadable,
                    missingThumbnails, seconds);
        }
    }

    private final IndexStore store;
    private final FileIndexer indexer;
    private final MediaFilter filter;
    private final Hasher hasher;
    private final Path dataDir;

    /**
     * @param dataDir the workspace's {@code .asset_index/}, where derived files (thumbnails) are
     */
    public Verifier(IndexStore store, FileIndexer indexer, MediaFilter filter, Hasher hasher, Path dataDir) {
        this.store = store;
        this.indexer = indexer;
        this.filter = filter;
        this.hasher = hasher;
        this.dataDir = dataDir;
    }

    /** Hears how far verify is, for a progress display. */
    public interface Progress extends AutoCloseable {
        Progress NONE = new Progress() {};

        /** There are {@code paths} paths to check, holding {@code bytes} bytes to read (0 without rehash). */
        default void planned(long paths, long bytes) {}

        /** One path is checked; {@code bytes} of it were read. */
        default void checked(long bytes) {}

        @Override
        default void close() {}
    }

    /** Checks every live path under these watch paths, as a run of the scan history ({@code verify}). */
    public Report verify(List<WatchRoot> roots, boolean rehash, Progress progress) {
        return store.runInHistory(RunKind.VERIFY, roots.stream().map(WatchRoot::name).toList(),
                () -> check(roots, rehash, progress)).report();
    }

    /** A report, with what the scan history records of the run. */
    private record Verified(Report report, RunCounts runCounts, String runNotes) implements RunResult {}

    private Verified check(List<WatchRoot> roots, boolean rehash, Progress progress) {
        long start = System.nanoTime();
        Instant startedAt = Instant.now();
        Tally tally = new Tally();
        List<WatchRoot> present = new ArrayList<>();
        long paths = 0;
        long bytes = 0;
        for (WatchRoot root : roots) {
            if (!Files.isDirectory(root.dir())) {
                tally.missingRoots.add(root.name());
                continue;
            }
            present.add(root);
            long[] totals = store.liveTotals(root.name());
            paths += totals[0];
            bytes += totals[1];
        }
        progress.planned(paths, rehash ? bytes : 0);
        for (WatchRoot root : present) {
            List<String> vanished = new ArrayList<>();
            long live = 0;
            String after = "";
            for (List<KnownPath> page = store.livePaths(root.name(), after, PAGE); !page.isEmpty();
                    page = store.livePaths(root.name(), after, PAGE)) {
                for (KnownPath known : page) {
                    live++;
                    tally.checked++;
                    long hashedBefore = tally.bytesHashed;
                    check(root, known, rehash, tally).ifPresent(vanished::add);
                    progress.checked(tally.bytesHashed - hashedBefore);
                }
                after = page.get(page.size() - 1).relPath();
            }
            Optional<String> hold = VolumeGuard.holdReason(live, live - vanished.size());
            if (hold.isPresent()) {
                // An unmounted disk looks like a watch path whose files all vanished: leave them be.
                tally.findings.add(new Finding(root.name(), hold.get() + " (an unmounted disk?)",
                        "nothing marked deleted; if they are really gone: asset-index scan --confirm-deletes "
                        + root.name()));
                tally.notes.add("deletions held back: " + root.name() + ": " + hold.get());
                continue;
            }
            tally.deleted += store.markDeleted(root.name(), vanished, startedAt);
        }
        checkThumbnails(tally);
        Report report = new Report(tally.checked, tally.vanished, tally.changed, tally.mismatched, tally.unreadable,
                tally.missingThumbnails, tally.bytesHashed, List.copyOf(tally.missingRoots), List.copyOf(tally.findings),
                (System.nanoTime() - start) / 1e9);
        tally.missingRoots.forEach(root -> tally.notes.add("watch path " + root + " is missing"));
        return new Verified(report, tally.runCounts(), tally.notes.isEmpty() ? null : String.join("; ", tally.notes));
    }

    /** Checks one path; returns it when it is to be marked deleted. */
    private Optional<String> check(WatchRoot root, KnownPath known, boolean rehash, Tally tally) {
        String shown = root.displayPath(known.relPath());
        Path file = root.dir().resolve(known.relPath());
        Optional<MediaType> type = filter.mediaTypeOf(Path.of(known.relPath()));
        BasicFileAttributes stat;
        try {
            stat = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return tally.vanished(shown, known.relPath(), "gone from disk");
        } catch (IOException e) {
            return tally.unreadable(shown, e);
        }
        if (!stat.isRegularFile() || type.isEmpty()) {
            return tally.vanished(shown, known.relPath(),
                    type.isEmpty() ? "no longer a file the filter indexes" : "no longer a regular file");
        }
        long mtimeNs = stat.lastModifiedTime().to(TimeUnit.NANOSECONDS);
        FileCandidate candidate = new FileCandidate(root, file, known.relPath(), type.get(), stat.size(), mtimeNs);
        if (!known.unchanged(stat.size(), mtimeNs)) {
            tally.changed++;
            tally.add(shown, "size or mtime changed since it was indexed", reindex(candidate, false, tally));
            return Optional.empty();
        }
        if (rehash) {
            try {
                Hasher.Result hash = hasher.hash(file);
                tally.bytesHashed += hash.bytesRead();
                if (!hash.sha256().equals(known.assetId())) {
                    tally.mismatched++;
                    tally.add(shown, "content differs from its recorded hash " + known.assetId().substring(0, 12)
                            + " though size and mtime did not change", reindex(candidate, true, tally));
                }
            } catch (NoSuchFileException e) {
                return tally.vanished(shown, known.relPath(), "gone from disk");
            } catch (IOException e) {
                return tally.unreadable(shown, e);
            }
        }
        return Optional.empty();
    }

    /**
     * A thumbnail recorded but missing from {@code .asset_index/thumbs/} (deleted by hand, a
     * partial copy of the folder): its result is forgotten, so the next scan or watch makes it
     * again from the media file (only that analyzer runs).
     */
    private void checkThumbnails(Tally tally) {
        DerivedFile after = null;
        for (List<DerivedFile> page = store.derivedFiles(ThumbnailAnalyzer.NAME, null, PAGE); !page.isEmpty();
                page = store.derivedFiles(ThumbnailAnalyzer.NAME, after, PAGE)) {
            for (DerivedFile thumbnail : page) {
                if (!Files.isRegularFile(dataDir.resolve(thumbnail.path()))) {
                    store.forgetAnalysis(thumbnail);
                    tally.missingThumbnails++;
                    tally.add(".asset_index/" + thumbnail.path(), "thumbnail of " + thumbnail.assetId().substring(0, 12)
                            + " is missing", "made again by the next scan or watch");
                }
            }
            after = page.get(page.size() - 1);
        }
    }

    private String reindex(FileCandidate candidate, boolean force, Tally tally) {
        FileOutcome outcome = indexer.index(candidate, force);
        tally.reindexed.add(outcome);
        return switch (outcome.kind()) {
            case INDEXED -> "indexed again as new content " + outcome.contentHash().substring(0, 12);
            case LINKED -> "recorded as known content " + outcome.contentHash().substring(0, 12);
            case SKIPPED, UNCHANGED -> "same content; size and mtime updated";
            case FAILED -> "indexing it failed (" + outcome.stage() + ": " + outcome.error() + ")";
            case ABANDONED -> "left for the next scan (stopping)";
        };
    }

    /** Counts and findings of one run. */
    private static final class Tally {
        long checked;
        long vanished;
        long changed;
        long mismatched;
        long unreadable;
        long missingThumbnails;
        long bytesHashed;
        long deleted;
        final OutcomeCounts reindexed = new OutcomeCounts();
        final List<String> missingRoots = new ArrayList<>();
        final List<Finding> findings = new ArrayList<>();
        final List<String> notes = new ArrayList<>();

        /** Paths checked with nothing to do are the skipped ones; bytes read count the re-indexing's too. */
        RunCounts runCounts() {
            long indexed = reindexed.get(FileOutcome.Kind.INDEXED);
            long linked = reindexed.get(FileOutcome.Kind.LINKED);
            long failed = reindexed.get(FileOutcome.Kind.FAILED) + unreadable;
            return new RunCounts(checked, indexed, linked, Math.max(0, checked - indexed - linked - failed - vanished),
                    failed, deleted, reindexed.get(FileOutcome.Integrity.CORRUPT),
                    reindexed.get(FileOutcome.Integrity.WARNINGS), bytesHashed + reindexed.bytesHashed(), mismatched);
        }

        void add(String path, String problem, String action) {
            findings.add(new Finding(path, problem, action));
        }

        Optional<String> vanished(String shown, String relPath, String problem) {
            vanished++;
            add(shown, problem, "marked deleted");
            return Optional.of(relPath);
        }

        Optional<String> unreadable(String shown, IOException e) {
            unreadable++;
            add(shown, e instanceof AccessDeniedException ? "permission denied" : "cannot be read: " + e.getMessage(),
                    "kept; make it readable by the user running asset-index");
            return Optional.empty();
        }
    }
}
