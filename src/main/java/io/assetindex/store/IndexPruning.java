package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;

/**
 * Removes what the index no longer needs, in one transaction: process_log rows past their
 * retention, paths deleted before a cut-off, then every asset left with no path at all (with
 * its vectors, through the foreign keys, and its analysis_cache rows), and cached verdicts of
 * content that is neither an asset nor mentioned in the remaining process_log (a corrupt file
 * that is long gone). An asset whose only paths were deleted after the cut-off is kept until
 * they are pruned too.
 */
public final class IndexPruning {

    /**
     * What was (or, in a dry run, would be) removed.
     *
     * @param databaseBytesFreed pages put on SQLite's free list: reused by new rows, given back to
     *                           the disk only by VACUUM
     * @param thumbnails         the thumbnail files (relative to {@code .asset_index/}) still referenced afterwards
     */
    public record Result(long logRows, long deletedPaths, long assets, long vectors, long cacheRows,
            long databaseBytesFreed, ReferencedPaths thumbnails) {}

    private final IndexDatabase database;

    public IndexPruning(IndexDatabase database) {
        this.database = database;
    }

    /**
     * @param pathsDeletedBefore paths deleted before this instant are removed
     * @param logBefore          process_log rows that ran before this instant are removed; null keeps them all
     * @param dryRun             report what would be removed, remove nothing
     */
    public Result run(Instant pathsDeletedBefore, Instant logBefore, boolean dryRun) {
        IndexDatabase.SqlWork<Result> work = c -> prune(c, pathsDeletedBefore, logBefore);
        return dryRun ? database.rehearse(work) : database.write(work);
    }

    private static Result prune(Connection c, Instant pathsDeletedBefore, Instant logBefore) throws SQLException {
        boolean sqlite = Dialect.of(c) == Dialect.SQLITE;
        // PostgreSQL reuses the space of deleted rows itself (autovacuum) and says nothing of pages freed.
        long freeBefore = sqlite ? Sql.number(c, "PRAGMA freelist_count") : 0;
        String pruned = sqlite ? "temp.pruned_assets" : "pg_temp.pruned_assets";
        long logRows = logBefore == null ? 0
                : update(c, "DELETE FROM process_log WHERE ran_at < ?", Timestamps.stored(logBefore));
        long paths = update(c, "DELETE FROM asset_paths WHERE deleted_at IS NOT NULL AND deleted_at < ?",
                Timestamps.stored(pathsDeletedBefore));
        try (Statement statement = c.createStatement()) {
            statement.execute("CREATE TEMP TABLE pruned_assets AS SELECT id FROM assets a"
                    + " WHERE NOT EXISTS (SELECT 1 FROM asset_paths p WHERE p.asset_id = a.id)");
        }
        String prunedIds = " IN (SELECT id FROM " + pruned + ")";
        long assets = Sql.number(c, "SELECT count(*) FROM " + pruned);
        long vectors = Sql.number(c, "SELECT (SELECT count(*) FROM assets_vec WHERE id" + prunedIds + ")"
                + " + (SELECT count(*) FROM assets_vec_next WHERE id" + prunedIds + ")");
        long cacheRows = update(c, "DELETE FROM analysis_cache WHERE asset_id" + prunedIds);
        update(c, "DELETE FROM assets WHERE id" + prunedIds);
        update(c, "DROP TABLE " + pruned);
        cacheRows += update(c, "DELETE FROM analysis_cache WHERE asset_id NOT IN (SELECT id FROM assets)"
                + " AND asset_id NOT IN (SELECT content_hash FROM process_log WHERE content_hash IS NOT NULL)");
        long freed = sqlite ? (Sql.number(c, "PRAGMA freelist_count") - freeBefore) * Sql.number(c, "PRAGMA page_size") : 0;
        return new Result(logRows, paths, assets, vectors, cacheRows, Math.max(0, freed), thumbnails(c));
    }

    private static ReferencedPaths thumbnails(Connection c) throws SQLException {
        ReferencedPaths.Builder paths = new ReferencedPaths.Builder();
        try (PreparedStatement query = c.prepareStatement("SELECT json_extract(result_json, '$.path')"
                + " FROM analysis_cache WHERE analyzer = 'thumbnail' AND json_extract(result_json, '$.path') IS NOT NULL");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                paths.add(rs.getString(1));
            }
        }
        return paths.build();
    }

    private static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                statement.setObject(i + 1, params[i]);
            }
            return statement.executeUpdate();
        }
    }
}
