package io.assetindex.query;

import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.SearchFilter;

/** A search by text: what to look for, which assets may match, which page, which distance. */
public record SearchQuery(String text, SearchFilter filter, int limit, int offset, Metric metric) {}
