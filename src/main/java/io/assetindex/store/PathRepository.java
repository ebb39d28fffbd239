package io.assetindex.store;

import io.assetindex.config.WatchRoot;
import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** SQL for {@code asset_paths}: every place on disk that holds an asset's bytes. */
final class PathRepository {
    private static final String KNOWN_COLUMNS = "rel_path, asset_id, size_bytes, mtime_ns, deleted_at IS NOT NULL";

    /**
     * Every path recorded under a folder of {@code sourceRoot} ("" for the whole root, else ending
     * in "/"), deleted ones included, by relative path.
     */
    Map<String, KnownPath> knownUnder(Connection connection, String sourceRoot, String prefix) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + KNOWN_COLUMNS
                + " FROM asset_paths WHERE source_root = ?" + (prefix.isEmpty() ? "" : " AND rel_path >= ? AND rel_path < ?"))) {
            query.setString(1, sourceRoot);
            if (!prefix.isEmpty()) {
                query.setString(2, prefix);
                query.setString(3, Sql.upperBound(prefix));
            }
            query.setFetchSize(10_000);
            Map<String, KnownPath> known = new HashMap<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    KnownPath path = known(rs);
                    known.put(path.relPath(), path);
                }
            }
            return known;
        }
    }

    /** A page of live paths: parameters root, the last relative path of the page before, limit. */
    static final String LIVE_PAGE = "SELECT " + KNOWN_COLUMNS + " FROM asset_paths"
            + " WHERE source_root = ? AND rel_path > ? AND deleted_at IS NULL ORDER BY rel_path LIMIT ?";

    /** Up to {@code limit} live paths of {@code sourceRoot} after {@code afterRelPath} ("" for the first), by relative path. */
    List<KnownPath> livePage(Connection connection, String sourceRoot, String afterRelPath, int limit)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(LIVE_PAGE)) {
            query.setString(1, sourceRoot);
            query.setString(2, afterRelPath);
            query.setInt(3, limit);
            List<KnownPath> page = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    page.add(known(rs));
                }
            }
            return page;
        }
    }

    /** How many live paths {@code sourceRoot} has, and their bytes: {count, bytes}. */
    long[] liveTotals(Connection connection, String sourceRoot) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*), coalesce(sum(size_bytes), 0)"
                + " FROM asset_paths WHERE source_root = ? AND deleted_at IS NULL")) {
            query.setString(1, sourceRoot);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    Optional<KnownPath> find(Connection connection, String sourceRoot, String relPath) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + KNOWN_COLUMNS + " FROM asset_paths WHERE source_root = ? AND rel_path = ?")) {
            query.setString(1, sourceRoot);
            query.setString(2, relPath);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(known(rs)) : Optional.empty();
            }
        }
    }

    private static KnownPath known(ResultSet rs) throws SQLException {
        return new KnownPath(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5));
    }

    /**
     * Records that {@code path} holds its asset now. A path that held other content, or was
     * marked deleted, becomes live again with a new first-seen time.
     */
    void upsert(Connection connection, PathRecord path, Instant seenAt) throws SQLException {
        PreparedStatement upsert = KeptStatements.prepare(connection, """
                INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, job_id, size_bytes, mtime_ns,
                                         first_seen_at, last_seen_at, deleted_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)
                ON CONFLICT (source_root, rel_path) DO UPDATE SET
                    first_seen_at = CASE WHEN asset_paths.asset_id = excluded.asset_id
                                         AND asset_paths.deleted_at IS NULL
                                         THEN asset_paths.first_seen_at ELSE excluded.first_seen_at END,
                    asset_id = excluded.asset_id,
                    abs_path = excluded.abs_path,
                    job_id = excluded.job_id,
                    size_bytes = excluded.size_bytes,
                    mtime_ns = excluded.mtime_ns,
                    last_seen_at = excluded.last_seen_at,
                    deleted_at = NULL""");
        String seen = Timestamps.stored(seenAt);
        upsert.setString(1, path.assetId());
        upsert.setString(2, path.sourceRoot());
        upsert.setString(3, path.relPath());
        upsert.setString(4, path.absPath());
        upsert.setString(5, path.jobId());
        upsert.setLong(6, path.sizeBytes());
        upsert.setLong(7, path.mtimeNs());
        upsert.setString(8, seen);
        upsert.setString(9, seen);
        upsert.executeUpdate();
    }

    /** Marks live paths last seen before {@code seenBefore} as deleted; returns how many were live. */
    int markDeleted(Connection connection, String sourceRoot, Collection<String> relPaths, Instant at,
            Instant seenBefore) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE asset_paths SET deleted_at = ?"
                + " WHERE source_root = ? AND rel_path = ? AND deleted_at IS NULL AND last_seen_at < ?")) {
            String when = Timestamps.stored(at);
            String before = Timestamps.stored(seenBefore);
            for (String relPath : relPaths) {
                update.setString(1, when);
                update.setString(2, sourceRoot);
                update.setString(3, relPath);
                update.setString(4, before);
                update.addBatch();
            }
            int changed = 0;
            for (int count : update.executeBatch()) {
                changed += Math.max(count, 0);
            }
            return changed;
        }
    }

    /** Marks a live path, or every live path below a folder, as deleted; returns how many. */
    int markGoneUnder(Connection connection, String sourceRoot, String relPath, Instant at) throws SQLException {
        String folder = relPath + "/";
        try (PreparedStatement update = connection.prepareStatement("UPDATE asset_paths SET deleted_at = ?"
                + " WHERE source_root = ? AND deleted_at IS NULL AND (rel_path = ? OR (rel_path >= ? AND rel_path < ?))")) {
            update.setString(1, Timestamps.stored(at));
            update.setString(2, sourceRoot);
            update.setString(3, relPath);
            update.setString(4, folder);
            update.setString(5, Sql.upperBound(folder));
            return update.executeUpdate();
        }
    }

    /**
     * Sets last_seen_at to {@code at} on live paths under {@code sourceRoot} whose relative path
     * starts with {@code prefix} and whose last_seen_at is before {@code staleBefore}.
     */
    int markSeen(Connection connection, String sourceRoot, String prefix, Instant at, Instant staleBefore)
            throws SQLException {
        String sql = "UPDATE asset_paths SET last_seen_at = ? WHERE source_root = ? AND deleted_at IS NULL"
                + " AND last_seen_at < ?" + (prefix.isEmpty() ? "" : " AND rel_path >= ? AND rel_path < ?");
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, Timestamps.stored(at));
            update.setString(2, sourceRoot);
            update.setString(3, Timestamps.stored(staleBefore));
            if (!prefix.isEmpty()) {
                update.setString(4, prefix);
                update.setString(5, Sql.upperBound(prefix));
            }
            return update.executeUpdate();
        }
    }

    /** Every path of an asset, live first, then by path. */
    List<Map<String, Object>> forAsset(Connection connection, String assetId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT source_root, rel_path, abs_path, job_id,"
                + " size_bytes, mtime_ns, first_seen_at, last_seen_at, deleted_at FROM asset_paths"
                + " WHERE asset_id = ? ORDER BY deleted_at IS NOT NULL, source_root, rel_path")) {
            query.setString(1, assetId);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    rows.add(AssetRepository.row(rs));
                }
            }
            return rows;
        }
    }

    /** The live paths (as shown) of each of these assets that has one, in path order. */
    Map<String, List<String>> liveDisplayPaths(Connection connection, List<String> assetIds) throws SQLException {
        Map<String, List<String>> out = new HashMap<>();
        for (int from = 0; from < assetIds.size(); from += Sql.IN_CHUNK) {
            List<String> chunk = assetIds.subList(from, Math.min(assetIds.size(), from + Sql.IN_CHUNK));
            try (PreparedStatement query = connection.prepareStatement("SELECT asset_id, source_root, rel_path"
                    + " FROM asset_paths WHERE asset_id IN (" + Sql.marks(chunk.size()) + ") AND deleted_at IS NULL"
                    + " ORDER BY source_root, rel_path")) {
                for (int i = 0; i < chunk.size(); i++) {
                    query.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), id -> new ArrayList<>())
                                .add(WatchRoot.displayPath(rs.getString(2), rs.getString(3)));
                    }
                }
            }
        }
        return out;
    }

    /** The asset last recorded at an absolute path, live or deleted. */
    Optional<String> assetAt(Connection connection, String absPath) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT asset_id FROM asset_paths"
                + " WHERE abs_path = ? ORDER BY deleted_at IS NOT NULL, last_seen_at DESC LIMIT 1")) {
            query.setString(1, absPath);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * Rewrites the absolute paths under {@code sourceRoot} for the root's folder now being
     * {@code rootPrefix} (ending in the separator): the paths of every row, and the file_path of
     * assets first found there. Rows already right are not written. Returns how many paths moved.
     */
    int relocate(Connection connection, String sourceRoot, String rootPrefix, String separator) throws SQLException {
        String now = "? || replace(p.rel_path, '/', ?)";
        try (PreparedStatement assets = connection.prepareStatement("UPDATE assets SET file_path = (SELECT " + now
                + " FROM asset_paths p WHERE p.asset_id = assets.id AND p.source_root = ? AND p.abs_path = assets.file_path"
                + " LIMIT 1) WHERE EXISTS (SELECT 1 FROM asset_paths p WHERE p.asset_id = assets.id AND p.source_root = ?"
                + " AND p.abs_path = assets.file_path AND p.abs_path <> " + now + ")")) {
            bind(assets, rootPrefix, separator, sourceRoot, sourceRoot, rootPrefix, separator);
            assets.executeUpdate();
        }
        try (PreparedStatement paths = connection.prepareStatement("UPDATE asset_paths AS p SET abs_path = " + now
                + " WHERE p.source_root = ? AND p.abs_path <> " + now)) {
            bind(paths, rootPrefix, separator, sourceRoot, rootPrefix, separator);
            return paths.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, String... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setString(i + 1, values[i]);
        }
    }

    /** Every source_root the index records paths under. */
    List<String> sourceRoots(Connection connection) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT DISTINCT source_root FROM asset_paths");
                ResultSet rs = query.executeQuery()) {
            List<String> roots = new ArrayList<>();
            while (rs.next()) {
                roots.add(rs.getString(1));
            }
            return roots;
        }
    }

    /** Records everything under {@code from} as being under {@code to} (which must have no paths yet). */
    void renameRoot(Connection connection, String from, String to) throws SQLException {
        for (String table : new String[] {"asset_paths", "assets"}) {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE " + table + " SET source_root = ? WHERE source_root = ?")) {
                bind(update, to, from);
                update.executeUpdate();
            }
        }
    }
}
