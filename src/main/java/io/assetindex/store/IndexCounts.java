package io.assetindex.store;

import io.assetindex.MediaType;
import java.time.Instant;
import java.util.Map;

/**
 * Totals for {@code status}.
 *
 * @param assetsByType  distinct contents per media type
 * @param assetBytes    total size of distinct contents
 * @param livePaths     paths that hold an asset now
 * @param deletedPaths  paths marked deleted
 * @param attempts      process_log rows per status
 * @param lastAttemptAt the newest process_log row, or null
 */
public record IndexCounts(
        Map<MediaType, Long> assetsByType,
        long assetBytes,
        long livePaths,
        long deletedPaths,
        Map<ProcessStatus, Long> attempts,
        Instant lastAttemptAt) {

    public long assets() {
        return assetsByType.values().stream().mapToLong(Long::longValue).sum();
    }
}
