package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetColumn;
import io.assetindex.store.VectorRecord;
import java.util.List;
import java.util.Map;

/**
 * What the analyzers found for one content.
 *
 * @param facts     values for asset columns
 * @param raw       every analyzer's full result, by analyzer name (becomes raw_json)
 * @param computed  results computed now, to be cached (results that came from the cache are not repeated);
 *                  cached even when the file is not indexed, so a corrupt file is judged once
 * @param fatal     the failure or rejection of a required analyzer, or null; the file is then not indexed
 * @param failures  failures of optional analyzers; the file is indexed without their results
 * @param scratch   what analyzers handed on for this file (a vector to store), not cached
 */
public record Analysis(
        Map<AssetColumn, Object> facts,
        ObjectNode raw,
        List<AnalysisRecord> computed,
        Failure fatal,
        List<Failure> failures,
        Map<String, Object> scratch) {

    /**
     * An analyzer that could not give a result, or rejected the file.
     *
     * @param transientFailure whether the failure may pass without the file changing (a time limit,
     *                         a tool that could not run): the file is tried again after a pause
     */
    public record Failure(String analyzer, String reason, boolean transientFailure) {}

    /** The vector the embed analyzer made now, or null. */
    public VectorRecord vector() {
        return (VectorRecord) scratch.get(EmbedAnalyzer.VECTOR);
    }
}
