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

/**
 * SQL for {@code asset_paths}: every place on disk that holds an asset's bytes, on the machine
 * ({@code host}) that has it. What a scan or watcher reads and writes of the paths it walks is its
 * own host's only: another machine's {@code media/a.jpg} is another file.
 */
final class PathRepository {
    private static final String KNOWN_COLUMNS = "rel_path, asset_id, size_bytes, mtime_ns, deleted_at IS NOT NULL";

    /**
     * What one read of the recorded paths under a folder tells besides the paths.
     *
     * @param elsewhere      how many record an absolute path that is not under the root's folder now
     *                       (0 when the read was not given the folder)
     * @param oldestLiveSeen the oldest last_seen_at of the live ones, as stored; null when none is live
     */
    record KnownRead(long elsewhere, String oldestLiveSeen) {}

    /**
     * Puts every path recorded under a folder of {@code sourceRoot} ("" for the whole root, else
     * ending in "/") into {@code known} by relative path, deleted ones included; with a {@code
     * rootPrefix} (the root's folder now, ending in {@code separator}) also counts those {@link
     * #relocate} would rewrite. At a million paths this read takes seconds: telling more in the same
     * read spares other passes over the rows.
     */
    KnownRead knownUnder(Connection connection, String host, String sourceRoot, String prefix, String rootPrefix,
            String separator, Map<String, RecordedPath> known) throws SQLException {
        boolean placed = rootPrefix != null;
        try (PreparedStatement query = connection.prepareStatement("SELECT rel_path, size_bytes, mtime_ns,"
                + " deleted_at IS NOT NULL, " + (placed ? "abs_path <> ? || replace(rel_path, '/', ?)" : "0")
                + ", last_seen_at FROM asset_paths WHERE host = ? AND source_root = ?"
                + (prefix.isEmpty() ? "" : " AND rel_path >= ? AND rel_path < ?"))) {
            int next = 1;
            if (placed) {
                query.setString(next++, rootPrefix);
                query.setString(next++, separator);
            }
            query.setString(next++, host);
            query.setString(next++, sourceRoot);
            if (!prefix.isEmpty()) {
                query.setString(next++, prefix);
                query.setString(next, Sql.upperBound(prefix));
            }
            query.setFetchSize(10_000);
            long elsewhere = 0;
            String oldestLiveSeen = null;
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    RecordedPath path = new RecordedPath(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getBoolean(4));
                    known.put(path.relPath(), path);
                    if (rs.getBoolean(5)) {
                        elsewhere++;
                    }
                    if (!path.deleted()) {
                        String seen = rs.getString(6);
                        if (oldestLiveSeen == null || seen.compareTo(oldestLiveSeen) < 0) {
                            oldestLiveSeen = seen;
                        }
                    }
                }
            }
            return new KnownRead(elsewhere, oldestLiveSeen);
        }
    }

    /** A page of live paths: parameters host, root, the last relative path of the page before, limit. */
    static final String LIVE_PAGE = "SELECT " + KNOWN_COLUMNS + " FROM asset_paths"
            + " WHERE host = ? AND source_root = ? AND rel_path > ? AND deleted_at IS NULL ORDER BY rel_path LIMIT ?";

    /** Up to {@code limit} live paths of {@code sourceRoot} after {@code afterRelPath} ("" for the first), by relative path. */
    List<KnownPath> livePage(Connection connection, String host, String sourceRoot, String afterRelPath, int limit)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(LIVE_PAGE)) {
            query.setString(1, host);
            query.setString(2, sourceRoot);
            query.setString(3, afterRelPath);
            query.setInt(4, limit);
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
    long[] liveTotals(Connection connection, String host, String sourceRoot) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*), coalesce(sum(size_bytes), 0)"
                + " FROM asset_paths WHERE host = ? AND source_root = ? AND deleted_at IS NULL")) {
            query.setString(1, host);
            query.setString(2, sourceRoot);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    Optional<KnownPath> find(Connection connection, String host, String sourceRoot, String relPath)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT " + KNOWN_COLUMNS + " FROM asset_paths WHERE host = ? AND source_root = ? AND rel_path = ?")) {
            query.setString(1, host);
            query.setString(2, sourceRoot);
            query.setString(3, relPath);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? Optional.of(known(rs)) : Optional.empty();
            }
        }
    }

    private static KnownPath known(ResultSet rs) throws SQLException {
        return new KnownPath(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getBoolean(5));
    }

    private static final String UPSERT = """
            INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, job_id, size_bytes, mtime_ns,
                                     first_seen_at, last_seen_at, deleted_at, host)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?)
            ON CONFLICT (%s) DO UPDATE SET
                host = excluded.host,
                first_seen_at = CASE WHEN asset_paths.asset_id = excluded.asset_id
                                     AND asset_paths.deleted_at IS NULL
                                     THEN asset_paths.first_seen_at ELSE excluded.first_seen_at END,
                asset_id = excluded.asset_id,
                abs_path = excluded.abs_path,
                job_id = excluded.job_id,
                size_bytes = excluded.size_bytes,
                mtime_ns = excluded.mtime_ns,
                last_seen_at = excluded.last_seen_at,
                deleted_at = NULL""";
    private static final String UPSERT_POSTGRESQL = UPSERT.formatted("host, source_root, rel_path");
    /**
     * SQLite's table keeps its {@code UNIQUE (source_root, rel_path)} (see {@link HostMigration}): a
     * path recorded there under another {@code host_name} is this machine's, renamed, and is taken over.
     */
    private static final String UPSERT_SQLITE = UPSERT.formatted("source_root, rel_path");

    /**
     * Records that {@code path} holds its asset now. A path that held other content, or was
     * marked deleted, becomes live again with a new first-seen time.
     */
    void upsert(Connection connection, String host, PathRecord path, Instant seenAt) throws SQLException {
        PreparedStatement upsert = KeptStatements.prepare(connection,
                Dialect.of(connection) == Dialect.SQLITE ? UPSERT_SQLITE : UPSERT_POSTGRESQL);
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
        upsert.setString(10, host);
        upsert.executeUpdate();
    }

    /** Marks live paths last seen before {@code seenBefore} as deleted; returns how many were live. */
    int markDeleted(Connection connection, String host, String sourceRoot, Collection<String> relPaths, Instant at,
            Instant seenBefore) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE asset_paths SET deleted_at = ? WHERE"
                + " host = ? AND source_root = ? AND rel_path = ? AND deleted_at IS NULL AND last_seen_at < ?")) {
            String when = Timestamps.stored(at);
            String before = Timestamps.stored(seenBefore);
            for (String relPath : relPaths) {
                update.setString(1, when);
                update.setString(2, host);
                update.setString(3, sourceRoot);
                update.setString(4, relPath);
                update.setString(5, before);
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
    int markGoneUnder(Connection connection, String host, String sourceRoot, String relPath, Instant at)
            throws SQLException {
        String folder = relPath + "/";
        try (PreparedStatement update = connection.prepareStatement("UPDATE asset_paths SET deleted_at = ? WHERE host = ?"
                + " AND source_root = ? AND deleted_at IS NULL AND (rel_path = ? OR (rel_path >= ? AND rel_path < ?))")) {
            update.setString(1, Timestamps.stored(at));
            update.setString(2, host);
            update.setString(3, sourceRoot);
            update.setString(4, relPath);
            update.setString(5, folder);
            update.setString(6, Sql.upperBound(folder));
            return update.executeUpdate();
        }
    }

    /**
     * Sets last_seen_at to {@code at} on live paths under {@code sourceRoot} whose relative path
     * starts with {@code prefix} and whose last_seen_at is before {@code staleBefore}.
     */
    int markSeen(Connection connection, String host, String sourceRoot, String prefix, Instant at,
            Instant staleBefore) throws SQLException {
        String sql = "UPDATE asset_paths SET last_seen_at = ? WHERE host = ? AND source_root = ? AND deleted_at IS NULL"
                + " AND last_seen_at < ?" + (prefix.isEmpty() ? "" : " AND rel_path >= ? AND rel_path < ?");
        try (PreparedStatement update = connection.prepareStatement(sql)) {
            update.setString(1, Timestamps.stored(at));
            update.setString(2, host);
            update.setString(3, sourceRoot);
            update.setString(4, Timestamps.stored(staleBefore));
            if (!prefix.isEmpty()) {
                update.setString(5, prefix);
                update.setString(6, Sql.upperBound(prefix));
            }
            return update.executeUpdate();
        }
    }

    /** Every path of an asset, live first, then by host and path. */
    List<Map<String, Object>> forAsset(Connection connection, String assetId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT host, source_root, rel_path, abs_path, job_id,"
                + " size_bytes, mtime_ns, first_seen_at, last_seen_at, deleted_at FROM asset_paths"
                + " WHERE asset_id = ? ORDER BY deleted_at IS NOT NULL, host, source_root, rel_path")) {
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

    /** The asset last recorded at an absolute path, live or deleted, on {@code host} before any other. */
    Optional<String> assetAt(Connection connection, String host, String absPath) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT asset_id FROM asset_paths WHERE abs_path = ?"
                + " ORDER BY host <> ?, deleted_at IS NOT NULL, last_seen_at DESC LIMIT 1")) {
            query.setString(1, absPath);
            query.setString(2, host);
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
    int relocate(Connection connection, String host, String sourceRoot, String rootPrefix, String separator)
            throws SQLException {
        String now = "? || replace(p.rel_path, '/', ?)";
        String mine = "p.asset_id = assets.id AND p.host = ? AND p.source_root = ? AND p.abs_path = assets.file_path";
        try (PreparedStatement assets = connection.prepareStatement("UPDATE assets SET file_path = (SELECT " + now
                + " FROM asset_paths p WHERE " + mine + " LIMIT 1) WHERE EXISTS (SELECT 1 FROM asset_paths p WHERE "
                + mine + " AND p.abs_path <> " + now + ")")) {
            bind(assets, rootPrefix, separator, host, sourceRoot, host, sourceRoot, rootPrefix, separator);
            assets.executeUpdate();
        }
        try (PreparedStatement paths = connection.prepareStatement("UPDATE asset_paths AS p SET abs_path = " + now
                + " WHERE p.host = ? AND p.source_root = ? AND p.abs_path <> " + now)) {
            bind(paths, rootPrefix, separator, host, sourceRoot, rootPrefix, separator);
            return paths.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, String... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setString(i + 1, values[i]);
        }
    }

    /** Every source_root the index records paths of {@code host} under. */
    List<String> sourceRoots(Connection connection, String host) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT DISTINCT source_root FROM asset_paths WHERE host = ?")) {
            query.setString(1, host);
            List<String> roots = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    roots.add(rs.getString(1));
                }
            }
            return roots;
        }
    }

    /** Records everything under {@code from} as being under {@code to} (which must have no paths yet). */
    void renameRoot(Connection connection, String host, String from, String to) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE assets SET source_root = ? WHERE"
                + " source_root = ? AND EXISTS (SELECT 1 FROM asset_paths p WHERE p.asset_id = assets.id"
                + " AND p.host = ? AND p.source_root = ? AND p.abs_path = assets.file_path)")) {
            bind(update, to, from, host, from);
            update.executeUpdate();
        }
        try (PreparedStatement update = connection.prepareStatement(
                "UPDATE asset_paths SET source_root = ? WHERE host = ? AND source_root = ?")) {
            bind(update, to, host, from);
            update.executeUpdate();
        }
    }
}
