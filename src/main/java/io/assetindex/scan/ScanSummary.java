package io.assetindex.scan;

import io.assetindex.store.LeftOut;
import io.assetindex.store.RunCounts;
import io.assetindex.store.RunResult;
import java.util.ArrayList;
import java.util.List;

/**
 * What a scan did.
 *
 * @param seen          media files found on disk
 * @param indexed       new contents analyzed and stored
 * @param linked        known contents found at new paths (recorded, not analyzed)
 * @param skipped       known contents at their known paths (hashed, nothing new)
 * @param unchanged     same size and mtime as recorded (not hashed)
 * @param failed        files that could not be indexed (see process_log)
 * @param failedBefore  files whose last attempt failed, left alone because they did not change
 * @param deleted       paths in the index that are gone from disk
 * @param corrupt       files the integrity check judged corrupt (among the failed ones)
 * @param warnings      files the integrity check found readable with warnings (among the indexed ones)
 * @param bytesHashed   bytes read for hashing
 * @param missingRoots  watch roots that do not exist
 * @param held          volumes whose missing files were not marked deleted because they look
 *                      unmounted or emptied: "raw_assets: the walk found none of its 1302 indexed files"
 * @param leftOut       files not indexed because the config does not list their extension
 */
public record ScanSummary(long seen, long indexed, long linked, long skipped, long unchanged, long failed,
        long failedBefore, long deleted, long corrupt, long warnings, long bytesHashed, double seconds,
        List<String> missingRoots, List<String> held, LeftOut leftOut) implements RunResult {

    public ScanSummary {
        missingRoots = List.copyOf(missingRoots);
        held = List.copyOf(held);
    }

    /** The one line printed at the end of a scan. */
    public String line() {
        return String.format("%d files: %d indexed, %d new paths, %d skipped, %d unchanged, %d failed, %d deleted"
                + "%s in %.1fs", seen, indexed, linked, skipped, unchanged, failed, deleted,
                failedBefore == 0 ? "" : ", " + failedBefore + " failed before and unchanged", seconds);
    }

    @Override
    public RunCounts runCounts() {
        return new RunCounts(seen, indexed, linked, skipped + unchanged + failedBefore, failed, deleted, corrupt,
                warnings, bytesHashed, 0);
    }

    /** The watch paths that were missing and the deletions held back, or null. */
    @Override
    public String runNotes() {
        List<String> notes = new ArrayList<>();
        missingRoots.forEach(root -> notes.add("watch path " + root + " is missing"));
        held.forEach(hold -> notes.add("deletions held back: " + hold));
        return notes.isEmpty() ? null : String.join("; ", notes);
    }
}
