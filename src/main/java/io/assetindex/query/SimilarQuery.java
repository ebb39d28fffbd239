package io.assetindex.query;

import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.SearchFilter;
import java.util.List;

/**
 * The assets nearest to an indexed one.
 *
 * @param id      the asset's id (or a unique prefix of 6+ characters)
 * @param exclude ids (or prefixes) never returned
 */
public record SimilarQuery(String id, List<String> exclude, SearchFilter filter, int limit, int offset, Metric metric) {
    public SimilarQuery {
        exclude = List.copyOf(exclude);
    }
}
