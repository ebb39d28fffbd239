package io.assetindex.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The integrity findings: files whose last attempt failed at the integrity check, with the
 * check's latest verdict on their content, and live paths of assets whose latest verdict has
 * warnings. Both from the analysis cache's integrity results ({@code integrity_checks}).
 */
final class IntegrityRepository {
    /**
     * An integrity result that found damage or warnings: the condition of migration 9's partial
     * index, which a query must repeat word for word for SQLite to use it. Part of a released
     * migration: never edit.
     */
    static final String FLAGGED = "analyzer = 'integrity' AND (CASE WHEN json_valid(result_json) THEN"
            + " json_extract(result_json, '$.corrupt') = 1 OR json_extract(result_json, '$.warning') = 1 END)";

    /**
     * The latest integrity verdict of each content that was ever flagged (SQLite takes the other
     * columns from the row with the max): contents never flagged are not read at all.
     */
    private static final String LATEST = "SELECT content_hash, tool, details, corrupt, warning, max(checked_at) AS"
            + " checked_at FROM integrity_checks WHERE content_hash IN (SELECT asset_id FROM analysis_cache"
            // INDEXED BY: without statistics the planner prefers the analyzer index and reads every verdict;
            // with it, SQLite refuses the query rather than read them all (a test would fail).
            + " INDEXED BY analysis_cache_integrity_flagged WHERE " + FLAGGED + ") GROUP BY content_hash";

    private static final String FINDINGS = """
            SELECT 1 AS corrupt, f.source_root, f.rel_path, NULL AS media_type, c.tool, c.details, c.checked_at,
                   f.first_failed_at AS since, f.content_hash
            FROM failed_files f JOIN (%1$s) c ON c.content_hash = f.content_hash
            WHERE f.stage = 'integrity' AND c.corrupt = 1 AND (?1 IS NULL OR f.source_root = ?1)
            UNION ALL
            SELECT 0, p.source_root, p.rel_path, a.media_type, c.tool, c.details, c.checked_at,
                   (SELECT min(created_at) FROM analysis_cache WHERE asset_id = a.id AND analyzer = 'integrity'
                    AND json_extract(result_json, '$.warning') = 1), a.id
            FROM assets a JOIN (%1$s) c ON c.content_hash = a.id
            JOIN asset_paths p ON p.asset_id = a.id AND p.deleted_at IS NULL
            WHERE c.warning = 1 AND c.corrupt = 0 AND (?1 IS NULL OR p.source_root = ?1)
            ORDER BY 1 DESC, 7 DESC, 2, 3""".formatted(LATEST);

    /** How many files are judged corrupt, or how many live paths of assets have warnings. */
    long count(Connection connection, boolean corrupt) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM (" + FINDINGS
                + ") WHERE corrupt = ?2")) {
            query.setString(1, null);
            query.setInt(2, corrupt ? 1 : 0);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /** Every finding, corrupt files first, each kind most recently checked first; at most {@code cap}. */
    List<IntegrityFinding> findings(Connection connection, String sourceRoot, int cap) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(FINDINGS + " LIMIT ?2")) {
            query.setString(1, sourceRoot);
            query.setInt(2, cap);
            List<IntegrityFinding> out = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    out.add(new IntegrityFinding(rs.getInt(1) == 1, rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9)));
                }
            }
            return out;
        }
    }
}
