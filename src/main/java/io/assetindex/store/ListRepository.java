package io.assetindex.store;

import io.assetindex.MediaType;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * SQL for browsing: the assets with a live path that match a filter, one page in a given order.
 * The page is read in index order and stops after {@code offset + limit} rows; how many match in
 * all is counted with their facets ({@link FacetRepository}), which read every match.
 */
final class ListRepository {
    private static String columns(Dialect dialect) {
        return "a.id, a.file_name, a.media_type, a.width, a.height, a.duration_seconds, a.fps, a.has_audio, "
                + AssetRepository.hasTranscript(dialect) + ", a.job_id, a.style, a.summary, a.audio_role, a.tags_json,"
                + " a.mood_json, a.size_bytes, a.indexed_at, CASE WHEN " + dialect.captureKey() + " IS NOT NULL THEN "
                + dialect.capturedAt() + " END";
    }

    private final PathRepository paths = new PathRepository();

    /**
     * A filter on paths by an index (a watch path, a folder, a job) that few match has its page
     * sorted from those paths' assets rather than found by walking the sort's index (see {@link
     * #sortsFewMatches}).
     */
    static final long FEW_MATCHES = 20_000;

    /** Migration 19, both databases: a job's live paths (and their assets) without reading every path. */
    static final String JOB_INDEX = "CREATE INDEX asset_paths_job ON asset_paths (job_id, asset_id) WHERE deleted_at IS NULL";
    static final String JOB_INDEX_DESCRIPTION = "an index of the live paths by job: a job's listing and facets read its"
            + " paths, not every path";

    /** @param matching how many assets match the filter in all (its facets' total) */
    List<ListedAsset> page(Connection connection, SearchFilter filter, AssetSort sort, int limit, int offset,
            long matching) throws SQLException {
        FilterSql sql = new FilterSql(filter);
        Dialect dialect = Dialect.of(connection);
        String pageSql = sortsFewMatches(connection, sql, matching) ? fewPathsPageSql(sql, sort, dialect)
                : pageSql(sql, sort, dialect);
        List<ListedAsset> rows = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(pageSql)) {
            int next = sql.bindWhere(query, 1);
            query.setInt(next++, limit);
            query.setInt(next, offset);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(asset(rs));
                }
            }
        }
        Map<String, List<String>> live = paths.liveDisplayPaths(connection, rows.stream().map(ListedAsset::id).toList());
        return rows.stream().map(row -> row.withPaths(live.getOrDefault(row.id(), List.of()))).toList();
    }

    /**
     * The page: its parameters are the filter's, then the limit and the offset. It reads the sort's
     * index, in order, and stops after {@code offset + limit} matches. Left to itself, SQLite would
     * use the index of a filter (say assets_media_type for {@code --type image}) and sort every
     * match to return 20: seconds at a million assets. Reading the sort's index costs at most one
     * pass over it, and far less when the filter keeps many (a filter on paths that few match takes
     * {@link #fewPathsPageSql} instead). INDEXED BY also makes the query fail,
     * rather than slow down, should that index ever be missing.
     */
    String pageSql(FilterSql sql, AssetSort sort, Dialect dialect) {
        return "SELECT " + columns(dialect) + " FROM assets a INDEXED BY " + sort.index() + " WHERE "
                + sql.where() + " ORDER BY " + sort.orderBy(dialect) + " LIMIT ? OFFSET ?";
    }

    /**
     * The page of a filter on paths that few assets match (a job, a folder): those paths' assets
     * (found by the job index or the folder's range), sorted. Walking the sort's index instead
     * looks at every asset until enough match: when the matches were indexed together, long ago,
     * that is nearly every asset (7-20 s for a job or a folder of 100 files at a million, 70 s for
     * a folder of 75,000, against 0.03-0.06 s and 1.3 s). Parameters as {@link #pageSql}.
     */
    String fewPathsPageSql(FilterSql sql, AssetSort sort, Dialect dialect) {
        return "SELECT " + columns(dialect) + " FROM assets a WHERE " + sql.allMatchingWhere() + " ORDER BY "
                + sort.orderBy(dialect) + " LIMIT ? OFFSET ?";
    }

    /**
     * Whether the page is cheaper sorted from the paths an index finds ({@link #fewPathsPageSql}):
     * when the filter is on such paths alone and at most {@link #FEW_MATCHES} assets, or a quarter
     * of the listed ones, match; with conditions on the assets too (a type), when at most {@link
     * #FEW_MATCHES} paths match before them (their assets are all read: a watch path's 400,000 for
     * its 100,000 audio files took 7 s, where the walk takes 0.1 s).
     */
    private static boolean sortsFewMatches(Connection connection, FilterSql sql, long matching) throws SQLException {
        if (!sql.findsPathsByIndex()) {
            return false;
        }
        if (!sql.hasAssetConditions()) {
            return matching <= FEW_MATCHES || matching <= IndexTallies.listedTotal(connection) / 4;
        }
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM asset_paths p"
                + " WHERE " + sql.livePathWhere() + " LIMIT " + (FEW_MATCHES + 1) + ") matching")) {
            sql.bindPaths(query, 1);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1) <= FEW_MATCHES;
            }
        }
    }

    /** The asset of one row of the page query, without its paths yet. */
    private static ListedAsset asset(ResultSet rs) throws SQLException {
        Integer audio = integer(rs, 8);
        return new ListedAsset(rs.getString(1), rs.getString(2), MediaType.fromId(rs.getString(3)), integer(rs, 4),
                integer(rs, 5), number(rs, 6), number(rs, 7), audio == null ? null : audio != 0, rs.getInt(9) != 0,
                rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), List.of(),
                Json.textList(rs.getString(14)), Json.textList(rs.getString(15)), rs.getLong(16),
                Timestamps.parse(rs.getString(17)), rs.getString(18));
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static Double number(ResultSet rs, int column) throws SQLException {
        double value = rs.getDouble(column);
        return rs.wasNull() ? null : value;
    }

    /** The ids in the order given by a sort of the assets (for search results ordered by something else than relevance). */
    List<String> sorted(Connection connection, Collection<String> ids, AssetSort sort) throws SQLException {
        List<String> all = List.copyOf(ids);
        if (all.isEmpty()) {
            return List.of();
        }
        // One statement over a temporary list of ids: the sort's ORDER BY needs them all at once.
        String marks = String.join(", ", Collections.nCopies(all.size(), "(?)"));
        try (PreparedStatement query = connection.prepareStatement("WITH wanted(id) AS (VALUES " + marks + ")"
                + " SELECT a.id FROM assets a JOIN wanted w ON w.id = a.id ORDER BY " + sort.orderBy(Dialect.of(connection)))) {
            for (int i = 0; i < all.size(); i++) {
                query.setString(i + 1, all.get(i));
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        }
    }
}
