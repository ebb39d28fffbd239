package io.assetindex.query;

import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.SearchFilter;

/**
 * A search by text: what to look for, how (hybrid, keyword, semantic; null for the default),
 * which assets may match, which page, which distance, and the order (null or "relevance" for
 * the best first, else one of list's orders).
 */
public record SearchQuery(String text, String mode, SearchFilter filter, int limit, int offset, Metric metric,
        String sort) {}
