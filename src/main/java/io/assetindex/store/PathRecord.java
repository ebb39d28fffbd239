package io.assetindex.store;

/**
 * A place on disk that holds an asset's bytes. Identity is (sourceRoot, relPath), so the
 * index survives the workspace moving; absPath is where it was last seen.
 */
public record PathRecord(
        String sourceRoot,
        String relPath,
        String absPath,
        String jobId,
        String assetId,
        long sizeBytes,
        long mtimeNs) {}
