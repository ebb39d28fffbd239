package io.assetindex.store;

import java.util.List;

/**
 * A file whose last attempt failed: that attempt, and the asset already indexed with the same
 * content, if any (the same bytes may be indexed at another path, or were before this one failed).
 *
 * @param attempt the latest row of {@code process_log} for the file, with status failed
 * @param assetId the id of the asset whose content is the attempt's {@code content_hash}, or null
 */
public record FailingFile(LogEntry attempt, String assetId) {

    /**
     * One page of them, newest failure first.
     *
     * @param total how many files' last attempt failed, on all pages
     */
    public record Page(long total, List<FailingFile> files) {
        public Page {
            files = List.copyOf(files);
        }
    }
}
