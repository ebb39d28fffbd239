package io.assetindex.store;

import java.time.Instant;

/**
 * What the index remembers of a file whose last attempt failed.
 *
 * @param retryAfter when a transient failure may be tried again; null for a failure that stays
 *                   until the file changes (or 'asset-index requeue')
 * @param failures   how many attempts in a row failed
 */
public record KnownFailure(String relPath, long sizeBytes, long mtimeNs, String stage, String error, String pipeline,
        Instant retryAfter, int failures) {

    /** Whether the file, as it is now, is the one that failed under these analyzers, and is not due for another try. */
    public boolean stillFailing(long currentSizeBytes, long currentMtimeNs, String currentPipeline, Instant now) {
        return sizeBytes >= 0 && sizeBytes == currentSizeBytes && mtimeNs == currentMtimeNs
                && pipeline.equals(currentPipeline) && (retryAfter == null || now.isBefore(retryAfter));
    }
}
