package io.assetindex.store;

import io.assetindex.MediaType;

/**
 * The facts of an asset that a search filters on most and that never change (an asset's id is
 * its content's hash): its type, its size as shown, its duration. Null where unknown.
 */
public record AssetShape(MediaType type, Integer width, Integer height, Double durationSeconds) {
    public static final AssetShape UNKNOWN = new AssetShape(null, null, null, null);
}
