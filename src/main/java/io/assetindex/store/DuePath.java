package io.assetindex.store;

/**
 * A live path due for re-verification, as the index records it.
 *
 * @param assetId the content recorded at it (its SHA-256)
 */
public record DuePath(String sourceRoot, String relPath, String absPath, String assetId, long sizeBytes, long mtimeNs) {}
