package io.assetindex.query;

import io.assetindex.store.SearchFilter;

/**
 * A page of the assets that match a filter, in an order.
 *
 * @param sort newest, oldest, captured, name, size or duration
 */
public record ListQuery(SearchFilter filter, String sort, int limit, int offset) {}
