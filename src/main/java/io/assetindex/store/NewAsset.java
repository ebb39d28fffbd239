package io.assetindex.store;

import io.assetindex.MediaType;
import java.util.Map;

/**
 * A new distinct content to store. The identity and file facts come from where it was
 * first found; {@code facts} are what the analyzers found; {@code rawJson} their full output.
 */
public record NewAsset(
        String id,
        String fileName,
        String filePath,
        String sourceRoot,
        String jobId,
        MediaType mediaType,
        long sizeBytes,
        double mtimeSeconds,
        Map<AssetColumn, Object> facts,
        String rawJson) {

    public NewAsset {
        facts = Map.copyOf(facts);
    }
}
