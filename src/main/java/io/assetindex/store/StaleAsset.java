package io.assetindex.store;

import io.assetindex.MediaType;

/**
 * An asset that lacks a current result of some analyzer, with a live path to read it from.
 *
 * @param pathSizeBytes size recorded for that path when it was last indexed
 * @param pathMtimeNs   mtime recorded for that path; if the file no longer matches, it changed
 */
public record StaleAsset(String id, MediaType mediaType, long sizeBytes, String sourceRoot, String relPath,
        String absPath, String jobId, long pathSizeBytes, long pathMtimeNs) {}
