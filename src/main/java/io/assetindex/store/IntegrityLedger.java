package io.assetindex.store;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The integrity decisions kept by content: contents the user accepted as good despite their
 * verdict, and the cached verdicts judged again when the ignore rules change. Keyed by content,
 * an acceptance holds wherever the bytes are found (moves, copies) and through re-analysis.
 */
public final class IntegrityLedger {
    private static final int REJUDGE_PAGE = 1000;

    private final IndexDatabase database;
    private final AcceptanceRepository acceptances = new AcceptanceRepository();
    private final AnalysisCacheRepository analysisCache = new AnalysisCacheRepository();

    /** Judges a cached integrity result again: the new result JSON, or empty when it stays. */
    @FunctionalInterface
    public interface Rejudge {
        Optional<String> rejudged(String resultJson, MediaType type);
    }

    public IntegrityLedger(IndexDatabase database) {
        this.database = database;
    }

    public Optional<Acceptance> acceptance(String contentHash) {
        return database.read(c -> acceptances.find(c, contentHash));
    }

    public boolean accepted(String contentHash) {
        return acceptance(contentHash).isPresent();
    }

    /** Records the acceptance, replacing an earlier one of the same content. */
    public void accept(Acceptance acceptance) {
        database.write(c -> {
            acceptances.put(c, acceptance);
            return null;
        });
    }

    /**
     * Forgets the acceptance; with {@code unindex}, the content leaves the index in the same
     * transaction (its asset, paths and vector; its cached analyses stay), so that reading its
     * files again judges them as if it had never been accepted. Returns whether it was accepted.
     */
    public boolean revoke(String contentHash, boolean unindex) {
        return database.write(c -> {
            boolean was = acceptances.delete(c, contentHash);
            if (was && unindex) {
                try (PreparedStatement delete = c.prepareStatement("DELETE FROM assets WHERE id = ?")) {
                    delete.setString(1, contentHash);
                    delete.executeUpdate();
                }
            }
            return was;
        });
    }

    /** The content's most recent integrity result (JSON), under any settings. */
    public Optional<String> latestVerdict(String contentHash) {
        return database.read(c -> analysisCache.latestResult(c, contentHash, "integrity"));
    }

    /** The content at a path: of its last failed attempt if it failed, else of its live indexed path. */
    public Optional<String> contentAt(String sourceRoot, String relPath) {
        return database.read(c -> first(c, """
                SELECT content_hash FROM failed_files WHERE source_root = ?1 AND rel_path = ?2 AND content_hash IS NOT NULL
                UNION ALL
                SELECT asset_id FROM asset_paths WHERE source_root = ?1 AND rel_path = ?2 AND deleted_at IS NULL
                LIMIT 1""", sourceRoot, relPath));
    }

    /** The contents with an integrity result whose hash starts with {@code prefix}, at most two (to tell it is unique). */
    public List<String> checkedContents(String prefix) {
        return database.read(c -> strings(c, "SELECT DISTINCT asset_id FROM analysis_cache WHERE analyzer = 'integrity'"
                + " AND asset_id >= ?1 AND asset_id < ?1 || 'g' ORDER BY asset_id LIMIT 2", prefix, null));
    }

    /** The workspace-relative paths of the files whose last attempt failed with this content. */
    public List<String> failedPathsOf(String contentHash) {
        return database.read(c -> strings(c, "SELECT source_root, rel_path FROM failed_files WHERE content_hash = ?1"
                + " ORDER BY source_root, rel_path", contentHash, null));
    }

    /** The workspace-relative live paths of this content's asset. */
    public List<String> livePathsOf(String contentHash) {
        return database.read(c -> strings(c, "SELECT source_root, rel_path FROM asset_paths WHERE asset_id = ?1"
                + " AND deleted_at IS NULL ORDER BY source_root, rel_path", contentHash, null));
    }

    /**
     * Judges every cached integrity result that found damage or warnings again (the others say
     * nothing a rule could change), a page at a time; returns how many changed.
     */
    public int rejudge(Rejudge rejudge) {
        int changed = 0;
        String[] after = {"", ""};
        while (true) {
            String[] from = after;
            List<String[]> page = database.read(c -> flaggedAfter(c, from[0], from[1]));
            if (page.isEmpty()) {
                return changed;
            }
            List<String[]> updates = new ArrayList<>();
            for (String[] row : page) {
                rejudge.rejudged(row[2], row[3] == null ? null : MediaType.fromId(row[3]))
                        .ifPresent(json -> updates.add(new String[] {row[0], row[1], json}));
            }
            if (!updates.isEmpty()) {
                database.write(c -> {
                    try (PreparedStatement update = c.prepareStatement("UPDATE analysis_cache SET result_json = ?"
                            + " WHERE asset_id = ? AND analyzer = 'integrity' AND config_hash = ?")) {
                        for (String[] row : updates) {
                            update.setString(1, row[2]);
                            update.setString(2, row[0]);
                            update.setString(3, row[1]);
                            update.addBatch();
                        }
                        update.executeBatch();
                    }
                    return null;
                });
                changed += updates.size();
            }
            after = page.get(page.size() - 1);
        }
    }

    /** A page of flagged integrity results after (content hash, config hash): asset id, config hash, result, media type. */
    private static List<String[]> flaggedAfter(Connection c, String afterId, String afterHash) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT f.asset_id, f.config_hash, f.result_json,"
                + " a.media_type FROM (SELECT asset_id, config_hash, result_json FROM analysis_cache"
                + " INDEXED BY analysis_cache_integrity_flagged WHERE " + IntegrityRepository.flagged(Dialect.of(c))
                + " AND (asset_id, config_hash) > (?, ?) ORDER BY asset_id, config_hash LIMIT " + REJUDGE_PAGE + ") f"
                + " LEFT JOIN assets a ON a.id = f.asset_id ORDER BY f.asset_id, f.config_hash")) {
            query.setString(1, afterId);
            query.setString(2, afterHash);
            List<String[]> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
            return rows;
        }
    }

    private static Optional<String> first(Connection c, String sql, String a, String b) throws SQLException {
        List<String> found = strings(c, sql, a, b);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /** One text per row: the first column, or with two columns a watch path and a relative path joined for display. */
    private static List<String> strings(Connection c, String sql, String a, String b) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, a);
            if (b != null) {
                query.setString(2, b);
            }
            List<String> out = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                boolean pairs = rs.getMetaData().getColumnCount() == 2;
                while (rs.next()) {
                    out.add(pairs ? WatchRoot.displayPath(rs.getString(1), rs.getString(2)) : rs.getString(1));
                }
            }
            return out;
        }
    }
}
