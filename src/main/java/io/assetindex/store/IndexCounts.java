package io.assetindex.store;

import io.assetindex.MediaType;
import java.time.Instant;
import java.util.List;
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
 * @param vectors       the embedding models in the index (the active one first, then one being built)
 * @param failingFiles  files whose last attempt failed (remembered, so rescans leave them alone)
 * @param held          this host's volumes whose deletions are held back, with their watch path's name
 * @param bitRotFiles   this host's files found with bit rot by its re-verification
 * @param bitRot        the newest of them
 */
public record IndexCounts(
        Map<MediaType, Long> assetsByType,
        long assetBytes,
        long livePaths,
        long deletedPaths,
        Map<ProcessStatus, Long> attempts,
        Instant lastAttemptAt,
        List<ModelVectors> vectors,
        long failingFiles,
        List<Map.Entry<String, Volume>> held,
        long corruptFiles,
        long warningFiles,
        long acceptedFiles,
        long bitRotFiles,
        List<BitRot> bitRot) {

    /** How many vectors one embedding model has; {@code state} is active or building. */
    public record ModelVectors(String model, int dimension, String state, long vectors) {}

    public long assets() {
        return assetsByType.values().stream().mapToLong(Long::longValue).sum();
    }
}
