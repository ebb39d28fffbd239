package io.assetindex.store;

import io.assetindex.util.Timestamps;
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

    /** {@link #FLAGGED} in a dialect (see {@link #jsonFlags}). */
    static String flagged(Dialect dialect) {
        return jsonFlags(FLAGGED, dialect);
    }

    /**
     * SQL that compares JSON flags with 1 ({@code json_extract(..., '$.corrupt') = 1}), for a
     * dialect: PostgreSQL's {@code json_extract} gives text, '1' for true.
     */
    private static String jsonFlags(String sql, Dialect dialect) {
        return dialect == Dialect.SQLITE ? sql : sql.replace("') = 1", "') = '1'");
    }

    /**
     * The latest integrity verdict of each content that was ever flagged (SQLite takes the other
     * columns from the row with the max): contents never flagged are not read at all.
     */
    private static final String LATEST = "SELECT content_hash, tool, details, corrupt, warning, max(checked_at) AS"
            + " checked_at FROM integrity_checks WHERE content_hash IN (SELECT asset_id FROM analysis_cache"
            // INDEXED BY: without statistics the planner prefers the analyzer index and reads every verdict;
            // with it, SQLite refuses the query rather than read them all (a test would fail).
            + " INDEXED BY analysis_cache_integrity_flagged WHERE " + FLAGGED + ") GROUP BY content_hash";

    /** {@link #LATEST} in PostgreSQL, which takes no column beside an aggregate from its row: DISTINCT ON. */
    private static final String LATEST_POSTGRESQL = "SELECT DISTINCT ON (content_hash) content_hash, tool, details,"
            + " corrupt, warning, checked_at FROM integrity_checks WHERE content_hash IN (SELECT asset_id FROM"
            + " analysis_cache WHERE " + flagged(Dialect.POSTGRESQL) + ") ORDER BY content_hash, checked_at DESC";

    /**
     * Files whose last attempt failed at the integrity check (never indexed) and live paths of
     * assets whose latest verdict found damage or warnings (indexed: with warnings, accepted as good
     * by the user, or judged corrupt under rules stricter than when it was indexed). A content the
     * user accepted is "accepted" whatever its verdict. Then the files re-verification found with
     * bit rot ("bit-rot"), while their path still records that content, size and mtime.
     */
    private static final String FINDINGS = """
            SELECT * FROM (
            SELECT CASE WHEN ok.content_hash IS NOT NULL THEN 'accepted' ELSE 'corrupt' END AS verdict, 0 AS indexed,
                   f.source_root, f.rel_path, NULL AS media_type, c.tool, c.details, c.checked_at,
                   f.first_failed_at AS since, f.content_hash, ok.accepted_by, ok.host, ok.note, ok.accepted_at
            FROM failed_files f JOIN (%1$s) c ON c.content_hash = f.content_hash
            LEFT JOIN integrity_accepted ok ON ok.content_hash = f.content_hash
            WHERE f.stage = 'integrity' AND c.corrupt = 1 AND (CAST(?1 AS TEXT) IS NULL OR f.source_root = ?1)
            UNION ALL
            SELECT CASE WHEN ok.content_hash IS NOT NULL THEN 'accepted' WHEN c.corrupt = 1 THEN 'corrupt'
                   ELSE 'warning' END, 1, p.source_root, p.rel_path, a.media_type, c.tool, c.details, c.checked_at,
                   (SELECT min(created_at) FROM analysis_cache WHERE asset_id = a.id AND analyzer = 'integrity'
                    AND (json_extract(result_json, '$.warning') = 1 OR json_extract(result_json, '$.corrupt') = 1)),
                   a.id, ok.accepted_by, ok.host, ok.note, ok.accepted_at
            FROM assets a JOIN (%1$s) c ON c.content_hash = a.id
            JOIN asset_paths p ON p.asset_id = a.id AND p.deleted_at IS NULL
            LEFT JOIN integrity_accepted ok ON ok.content_hash = a.id
            WHERE (c.warning = 1 OR c.corrupt = 1) AND (CAST(?1 AS TEXT) IS NULL OR p.source_root = ?1)
            UNION ALL
            SELECT 'bit-rot', 1, b.source_root, b.rel_path, a.media_type, 'SHA-256',
                   'its bytes changed while its size and mtime did not: indexed as sha256 ' || b.expected_hash
                   || ', now ' || b.found_hash, b.found_at, b.found_at, b.expected_hash, NULL, NULL, NULL, NULL
            FROM bit_rot b JOIN asset_paths p ON p.source_root = b.source_root AND p.rel_path = b.rel_path
                AND p.host = b.host AND p.deleted_at IS NULL AND p.asset_id = b.expected_hash
                AND p.size_bytes = b.size_bytes AND p.mtime_ns = b.mtime_ns
            JOIN assets a ON a.id = b.expected_hash
            WHERE b.host = ?3 AND (CAST(?1 AS TEXT) IS NULL OR b.source_root = ?1)) findings
            ORDER BY CASE verdict WHEN 'bit-rot' THEN 0 WHEN 'corrupt' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END,
                checked_at DESC, source_root, rel_path""";

    private static String findings(Connection connection) throws SQLException {
        Dialect dialect = Dialect.of(connection);
        return jsonFlags(FINDINGS.formatted(dialect == Dialect.SQLITE ? LATEST : LATEST_POSTGRESQL), dialect);
    }

    /** How many files have this verdict ("corrupt", "warning" or "accepted"). */
    long count(Connection connection, String verdict) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM (" + findings(connection)
                + ") counted WHERE verdict = ?2")) {
            query.setString(1, null);
            query.setString(2, verdict);
            query.setString(3, null); // no host's bit rot: not among these verdicts
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    /**
     * Every finding, bit rot first (the {@code host}'s own: what its re-verification found on its
     * disks), then corrupt files, warnings and accepted, each most recently checked first; at most
     * {@code cap}.
     */
    List<IntegrityFinding> findings(Connection connection, String host, String sourceRoot, int cap)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(findings(connection) + " LIMIT ?2")) {
            query.setString(1, sourceRoot);
            query.setInt(2, cap);
            query.setString(3, host);
            List<IntegrityFinding> out = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    String acceptedAt = rs.getString(14);
                    out.add(new IntegrityFinding(rs.getString(1), rs.getInt(2) == 1, rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10), acceptedAt == null ? null : new Acceptance(rs.getString(10),
                                    rs.getString(11), rs.getString(12), rs.getString(13), null,
                                    Timestamps.parse(acceptedAt))));
                }
            }
            return out;
        }
    }
}
