package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * SQL for the {@link AssetFacets} of a filter, and so for how many assets match it: one statement
 * reads every live path that matches, joined to its asset (which matches), in asset order, and the
 * rows are counted here. An asset counts once for its type and tags, and once under each watch
 * path and job among its matching paths (copies in one folder are one asset).
 *
 * <p>Why one pass counted in Java: SQLite groups by sorting, so counting distinct assets per watch
 * path and job, and per tag (see {@link TagCounter}), sorts every path and every (asset, tag) pair:
 * over 0.5 s on 100,000 assets (2 cores), where this pass takes 0.2 s. The rows come in the order
 * of the assets' rowids, so one asset's watch paths and jobs are all that is held at a time.
 */
final class FacetRepository {

    AssetFacets facets(Connection connection, SearchFilter filter) throws SQLException {
        FilterSql sql = new FilterSql(filter);
        Map<String, Long> types = new HashMap<>();
        Map<String, Long> roots = new HashMap<>();
        Map<String, Long> jobs = new HashMap<>();
        TagCounter tags = new TagCounter();
        Dialect dialect = Dialect.of(connection);
        try (PreparedStatement query = connection.prepareStatement(facetSql(filter, sql, dialect))) {
            sql.bindWhere(query, 1);
            try (ResultSet rs = query.executeQuery()) {
                long asset = -1;
                String assetId = null;
                List<String> rootsOfAsset = new ArrayList<>(2);
                List<String> jobsOfAsset = new ArrayList<>(2);
                while (rs.next()) {
                    boolean nextAsset = dialect == Dialect.SQLITE ? rs.getLong(1) != asset
                            : !rs.getString(1).equals(assetId);
                    if (nextAsset) {
                        asset = dialect == Dialect.SQLITE ? rs.getLong(1) : -1;
                        assetId = dialect == Dialect.SQLITE ? null : rs.getString(1);
                        rootsOfAsset.clear();
                        jobsOfAsset.clear();
                        types.merge(rs.getString(2), 1L, Long::sum);
                        tags.add(rs.getBytes(3));
                    }
                    countOnce(rs.getString(4), rootsOfAsset, roots);
                    countOnce(rs.getString(5), jobsOfAsset, jobs);
                }
            }
        }
        int all = Integer.MAX_VALUE;
        return new AssetFacets(AssetFacets.ranked(types, all), AssetFacets.ranked(roots, all),
                AssetFacets.ranked(jobs, all), tags.top(AssetFacets.TOP_TAGS));
    }

    /** Counts {@code value} (unless null) for the current asset, unless one of its paths already did. */
    private static void countOnce(String value, List<String> ofAsset, Map<String, Long> counts) {
        if (value != null && !ofAsset.contains(value)) {
            ofAsset.add(value);
            counts.merge(value, 1L, Long::sum);
        }
    }

    /**
     * The matching live paths with their assets' rowid, type and tags; parameters: {@link
     * FilterSql#bindWhere}. CROSS JOIN fixes which table SQLite reads first, whatever its statistics
     * say: the assets, in rowid order (no sort), each with its live paths from asset_paths_live;
     * or, for a folder or a job, which usually hold few of the paths, those paths first (a folder is a
     * range of the (source_root, rel_path) index), with only their assets sorted.
     */
    String facetSql(SearchFilter filter, FilterSql sql) {
        return facetSql(filter, sql, Dialect.SQLITE);
    }

    /** {@link #facetSql(SearchFilter, FilterSql)} in a dialect: PostgreSQL's assets have no rowid, they go by id. */
    String facetSql(SearchFilter filter, FilterSql sql, Dialect dialect) {
        String tables = filter.folder() != null || filter.jobId() != null
                ? "asset_paths p CROSS JOIN assets a" : "assets a CROSS JOIN asset_paths p";
        String key = dialect == Dialect.SQLITE ? "a.rowid" : "a.id";
        return "SELECT " + key + ", a.media_type, a.tags_json, p.source_root, p.job_id FROM " + tables
                + " ON p.asset_id = a.id WHERE " + sql.livePathAndAssetWhere() + " ORDER BY " + key;
    }
}
