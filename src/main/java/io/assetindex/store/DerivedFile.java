package io.assetindex.store;

/**
 * A file an analyzer wrote for an asset (a thumbnail), as its cached result records it.
 *
 * @param path relative to {@code .asset_index/}, with "/" separators
 */
public record DerivedFile(String assetId, String analyzer, String configHash, String path) {}
