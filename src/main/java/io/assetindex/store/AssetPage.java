package io.assetindex.store;

import java.util.List;

/**
 * One page of a browse through the index, with the request it answers.
 *
 * @param total  how many assets match the filter, on all pages
 * @param facets how those assets divide by type, watch path, job and tag (all pages too)
 * @param assets at most {@code limit} of them, from position {@code offset} (0-based) in {@code sort} order
 */
public record AssetPage(SearchFilter filter, AssetSort sort, int limit, int offset, long total, AssetFacets facets,
        List<ListedAsset> assets) {

    /** The most assets one page may hold (the same cap as search's). */
    public static final int MAX_LIMIT = 10_000;

    public AssetPage {
        assets = List.copyOf(assets);
    }

    /** The position (1-based, over all pages) of the {@code index}-th asset of this page. */
    public long rank(int index) {
        return (long) offset + index + 1;
    }
}
