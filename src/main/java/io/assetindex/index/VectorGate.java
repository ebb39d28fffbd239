package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetColumn;
import io.assetindex.store.IndexStore;
import io.assetindex.store.VectorRecord;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a vector whose dimension is not the one the index holds for its model (a remote API
 * answering with other dimensions than before) out of the index: the asset is stored without
 * it and without the embed result, so it stays due for embedding, and a warning says why.
 */
final class VectorGate {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    /** What to store: the vector (or null), the results to cache, the facts and raw results; why refused, or null. */
    record Passed(VectorRecord vector, List<AnalysisRecord> computed, Map<AssetColumn, Object> facts, ObjectNode raw,
            String refusal) {}

    private VectorGate() {}

    static Passed check(IndexStore store, Analysis analysis, String shownPath) {
        VectorRecord vector = analysis.vector();
        if (vector == null) {
            return new Passed(null, analysis.computed(), analysis.facts(), analysis.raw(), null);
        }
        Optional<Integer> expected = store.vectorDimension(vector.configHash());
        if (expected.isEmpty() || expected.get() == vector.vector().length) {
            return new Passed(vector, analysis.computed(), analysis.facts(), analysis.raw(), null);
        }
        String refusal = "a vector of " + vector.vector().length + " dimensions is refused: model " + vector.model()
                + " makes " + expected.get() + "-dimension vectors in this index; check embedding.dimensions";
        LOG.warn("[embed] {}: {}", shownPath, refusal);
        List<AnalysisRecord> withoutEmbed = analysis.computed().stream()
                .filter(record -> !record.analyzer().equals(EmbedAnalyzer.NAME)).toList();
        Map<AssetColumn, Object> facts = new EnumMap<>(analysis.facts());
        facts.remove(AssetColumn.EMBED_SOURCE);
        facts.remove(AssetColumn.EMBED_MODEL);
        ObjectNode raw = analysis.raw().deepCopy();
        raw.remove(EmbedAnalyzer.NAME);
        return new Passed(null, withoutEmbed, facts, raw, refusal);
    }
}
