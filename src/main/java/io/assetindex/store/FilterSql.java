package io.assetindex.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * A {@link SearchFilter} as SQL: the conditions on a live path ({@code asset_paths p}) and on the
 * asset ({@code assets a}), with their parameters in order. Values only ever travel as
 * parameters; the SQL text depends on which fields are set and on the number of tags.
 */
final class FilterSql {
    private final StringBuilder path = new StringBuilder();
    private final List<Object> pathParams = new ArrayList<>();
    private final StringBuilder asset = new StringBuilder();
    private final List<Object> assetParams = new ArrayList<>();
    private final boolean indexedPath;

    FilterSql(SearchFilter filter) {
        indexedPath = filter.sourceRoot() != null || filter.folder() != null || filter.jobId() != null;
        if (filter.sourceRoot() != null) {
            onPath(" AND p.source_root = ?", filter.sourceRoot());
        }
        if (filter.folder() != null) {
            // A range on the (source_root, rel_path) index, not LIKE: '%' and '_' in names are plain characters.
            String prefix = RelativeFolder.prefix(filter.folder());
            onPath(" AND p.rel_path >= ? AND p.rel_path < ?", prefix, Sql.upperBound(prefix));
        }
        if (filter.jobId() != null) {
            onPath(" AND p.job_id = ?", filter.jobId());
        }
        if (filter.pathContains() != null) {
            onPath(" AND instr(lower(CASE p.source_root WHEN '.' THEN p.rel_path ELSE p.source_root || '/' || p.rel_path"
                    + " END), lower(?)) > 0", filter.pathContains());
        }
        if (filter.mediaType() != null) {
            onAsset(" AND a.media_type = ?", filter.mediaType().id());
        }
        if (filter.minDurationSeconds() != null) {
            onAsset(" AND a.duration_seconds >= ?", filter.minDurationSeconds());
        }
        if (filter.maxDurationSeconds() != null) {
            onAsset(" AND a.duration_seconds <= ?", filter.maxDurationSeconds());
        }
        if (filter.minWidth() != null) {
            onAsset(" AND a.width >= ?", filter.minWidth());
        }
        if (filter.minHeight() != null) {
            onAsset(" AND a.height >= ?", filter.minHeight());
        }
        if (filter.audioRole() != null) {
            onAsset(" AND a.audio_role = ?", filter.audioRole());
        }
        if (!filter.anyTags().isEmpty()) {
            String marks = String.join(", ", Collections.nCopies(filter.anyTags().size(), "?"));
            asset.append(" AND (EXISTS (SELECT 1 FROM json_each(coalesce(a.tags_json, '[]')) WHERE lower(value) IN (")
                    .append(marks).append(")) OR EXISTS (SELECT 1 FROM json_each(coalesce(a.mood_json, '[]'))"
                            + " WHERE lower(value) IN (").append(marks).append(")))");
            for (int twice = 0; twice < 2; twice++) {
                filter.anyTags().forEach(tag -> assetParams.add(tag.toLowerCase(Locale.ROOT)));
            }
        }
    }

    private void onPath(String condition, Object... params) {
        path.append(condition);
        pathParams.addAll(List.of(params));
    }

    private void onAsset(String condition, Object param) {
        asset.append(condition);
        assetParams.add(param);
    }

    /**
     * Conditions for a {@code WHERE} over {@code assets a}: it has a live path that matches, and
     * the asset matches. Parameters: {@link #bindWhere}.
     */
    String where() {
        // INDEXED BY: each asset's own live paths. Left to itself SQLite probed a folder's or a job's
        // index for every asset (all of a year's 75,000 paths, once per asset of a million).
        return "EXISTS (SELECT 1 FROM asset_paths p INDEXED BY asset_paths_live WHERE p.asset_id = a.id"
                + " AND p.deleted_at IS NULL" + path + ")" + asset;
    }

    /**
     * As {@link #where()}, for every match at once: the paths an index finds (a watch path, a
     * folder, a job) first, then their assets; else {@link #where()}. Parameters: {@link #bindWhere}.
     */
    String allMatchingWhere() {
        return indexedPath ? "a.id IN (SELECT p.asset_id FROM asset_paths p WHERE " + livePathWhere() + ")" + asset
                : where();
    }

    /** Conditions for a {@code WHERE} over {@code asset_paths p}: it is live and matches. Parameters: {@link #bindPaths}. */
    String livePathWhere() {
        return "p.deleted_at IS NULL" + path;
    }

    /**
     * Conditions for a {@code WHERE} over a path {@code p} joined to its asset {@code a}: the path
     * is live and matches, and the asset matches. Parameters: {@link #bindWhere}, in the same order.
     */
    String livePathAndAssetWhere() {
        return livePathWhere() + asset;
    }

    /**
     * Whether the filter names a watch path, a folder or a job: conditions an index finds the paths
     * of (part of the path is not: it is looked for in every path).
     */
    boolean findsPathsByIndex() {
        return indexedPath;
    }

    /** Whether the filter says anything about the asset itself (type, duration, size, tags, audio role). */
    boolean hasAssetConditions() {
        return !asset.isEmpty();
    }

    /** Binds the parameters of {@link #livePathWhere()} from {@code index}; returns the next index. */
    int bindPaths(PreparedStatement statement, int index) throws SQLException {
        return bind(statement, index, pathParams);
    }

    /** Binds the parameters of {@link #where()} from {@code index}; returns the next index. */
    int bindWhere(PreparedStatement statement, int index) throws SQLException {
        return bind(statement, bind(statement, index, pathParams), assetParams);
    }

    private static int bind(PreparedStatement statement, int index, List<Object> params) throws SQLException {
        for (Object param : params) {
            statement.setObject(index++, param);
        }
        return index;
    }
}
