package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads assets out of an index and merges them into another one, for {@code export} and
 * {@code import}. The content hash is the identity: an asset the target already has is the
 * same asset. Merging follows "newer analysis wins": an analysis_cache row replaces the
 * target's only when it was made later, and the asset's facts are replaced only when the
 * incoming analyses are newer than the target's. A live path the target already records for
 * other content is the target's truth about its own disk and is kept.
 */
public final class IndexTransfer {
    /** Columns not carried over: where the file was on the exporting machine. */
    private static final List<String> LOCAL_COLUMNS = List.of("file_path");

    /** A live path of an asset, relative to its watch root. */
    public record TransferPath(String sourceRoot, String relPath, String jobId, long sizeBytes, long mtimeNs) {}

    /** One analysis_cache row. */
    public record TransferAnalysis(String analyzer, String configHash, String resultJson, long durationMs,
            String createdAt) {}

    /**
     * An asset with everything that is portable about it.
     *
     * @param columns  the assets row without file_path
     * @param vector   the active model's packed vector, or null
     */
    public record TransferAsset(Map<String, Object> columns, List<TransferPath> paths, List<TransferAnalysis> analyses,
            byte[] vector) {

        public String id() {
            return (String) columns.get("id");
        }

        /** When its newest analysis ran (stored format), or "" when it has none. */
        public String newestAnalysis() {
            return analyses.stream().map(TransferAnalysis::createdAt).max(String::compareTo).orElse("");
        }
    }

    /** Receives exported assets one at a time. */
    @FunctionalInterface
    public interface Sink {
        void accept(TransferAsset asset) throws Exception;
    }

    /** What merging one asset did. */
    public record Merged(boolean newAsset, boolean factsReplaced, int pathsAdded, int pathConflicts, int analysesWritten,
            boolean vectorWritten) {}

    private final IndexDatabase database;
    private final AssetRepository assets = new AssetRepository();
    private final PathRepository paths = new PathRepository();
    private final VectorRepository vectors = new VectorRepository();

    public IndexTransfer(IndexDatabase database) {
        this.database = database;
    }

    /** The model whose vectors are searched, if any. */
    public Optional<EmbeddingModel> activeModel() {
        return database.read(c -> vectors.model(c, EmbeddingModel.ACTIVE));
    }

    /**
     * Every asset that has a live path, in id order, with its live paths, all from one snapshot
     * of the index: a read transaction, which under WAL lets a watcher keep writing meanwhile.
     *
     * @return how many were passed to {@code sink}
     */
    public long exportTo(Sink sink) {
        return database.read(c -> {
            try (Statement statement = c.createStatement()) {
                statement.execute("BEGIN DEFERRED"); // a plain read transaction: takes no write lock
            }
            try {
                return exportAll(c, sink);
            } finally {
                try (Statement statement = c.createStatement()) {
                    statement.execute("COMMIT");
                }
            }
        });
    }

    private long exportAll(Connection c, Sink sink) throws SQLException {
        long count = 0;
        try (PreparedStatement query = c.prepareStatement("SELECT * FROM assets a WHERE EXISTS (SELECT 1"
                + " FROM asset_paths p WHERE p.asset_id = a.id AND p.deleted_at IS NULL) ORDER BY id")) {
            query.setFetchSize(1000);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> columns = AssetRepository.row(rs);
                    LOCAL_COLUMNS.forEach(columns::remove);
                    String id = (String) columns.get("id");
                    accept(sink, new TransferAsset(columns, livePaths(c, id), analyses(c, id),
                            vectors.activeVector(c, id).map(Vectors::pack).orElse(null)));
                    count++;
                }
            }
        }
        return count;
    }

    private static void accept(Sink sink, TransferAsset asset) throws SQLException {
        try {
            sink.accept(asset);
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("export stopped: " + e.getMessage(), e);
        }
    }

    private static List<TransferPath> livePaths(Connection c, String id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT source_root, rel_path, job_id, size_bytes, mtime_ns"
                + " FROM asset_paths WHERE asset_id = ? AND deleted_at IS NULL ORDER BY source_root, rel_path")) {
            query.setString(1, id);
            List<TransferPath> out = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    out.add(new TransferPath(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getLong(5)));
                }
            }
            return out;
        }
    }

    private static List<TransferAnalysis> analyses(Connection c, String id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("SELECT analyzer, config_hash, result_json, duration_ms,"
                + " created_at FROM analysis_cache WHERE asset_id = ? ORDER BY analyzer, config_hash")) {
            query.setString(1, id);
            List<TransferAnalysis> out = new ArrayList<>();
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    out.add(new TransferAnalysis(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                            rs.getString(5)));
                }
            }
            return out;
        }
    }

    /** One asset to merge, with where its paths are on this machine. */
    public record Incoming(TransferAsset asset, List<PathRecord> paths, VectorRecord vector) {}

    /** Merges a batch of assets in one transaction. */
    public List<Merged> merge(List<Incoming> batch, Instant now) {
        return database.write(c -> {
            List<Merged> merged = new ArrayList<>(batch.size());
            for (Incoming incoming : batch) {
                merged.add(mergeOne(c, incoming, now));
            }
            return merged;
        });
    }

    private Merged mergeOne(Connection c, Incoming incoming, Instant now) throws SQLException {
        TransferAsset asset = incoming.asset();
        String id = asset.id();
        boolean exists = assets.exists(c, id);
        boolean newer = !exists || asset.newestAnalysis().compareTo(newestAnalysis(c, id)) > 0;
        if (!exists) {
            insertAsset(c, asset, incoming.paths().get(0).absPath());
        } else if (newer) {
            replaceFacts(c, asset);
        }
        int analyses = 0;
        for (TransferAnalysis analysis : asset.analyses()) {
            analyses += putIfNewer(c, id, analysis);
        }
        boolean vector = incoming.vector() != null && (newer || vectors.activeVector(c, id).isEmpty());
        if (vector) {
            vectors.store(c, id, incoming.vector(), now);
        }
        int added = 0;
        int conflicts = 0;
        for (PathRecord path : incoming.paths()) {
            Optional<KnownPath> known = paths.find(c, path.sourceRoot(), path.relPath());
            if (known.isEmpty() || known.get().deleted()) {
                paths.upsert(c, path, now);
                added++;
            } else if (!known.get().assetId().equals(id)) {
                conflicts++;
            }
        }
        return new Merged(!exists, exists && newer, added, conflicts, analyses, vector);
    }

    private static String newestAnalysis(Connection c, String id) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT coalesce(max(created_at), '') FROM analysis_cache WHERE asset_id = ?")) {
            query.setString(1, id);
            try (ResultSet rs = query.executeQuery()) {
                return rs.next() ? rs.getString(1) : "";
            }
        }
    }

    private static void insertAsset(Connection c, TransferAsset asset, String filePath) throws SQLException {
        Map<String, Object> columns = new LinkedHashMap<>();
        Set<String> known = assetColumns(c);
        asset.columns().forEach((name, value) -> {
            if (known.contains(name)) { // names become SQL: only the table's own
                columns.put(name, value);
            }
        });
        columns.put("file_path", filePath);
        String names = String.join(", ", columns.keySet());
        String marks = columns.keySet().stream().map(k -> "?").collect(Collectors.joining(", "));
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO assets (" + names + ") VALUES (" + marks + ")")) {
            int i = 1;
            for (Object value : columns.values()) {
                insert.setObject(i++, value);
            }
            insert.executeUpdate();
        }
    }

    private static Set<String> assetColumns(Connection c) throws SQLException {
        Set<String> names = new HashSet<>();
        try (PreparedStatement query = c.prepareStatement("SELECT name FROM pragma_table_info('assets')");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static void replaceFacts(Connection c, TransferAsset asset) throws SQLException {
        List<String> names = new ArrayList<>();
        for (AssetColumn column : AssetColumn.values()) {
            names.add(column.column());
        }
        names.add("raw_json");
        try (PreparedStatement update = c.prepareStatement("UPDATE assets SET "
                + names.stream().map(n -> n + " = ?").collect(Collectors.joining(", ")) + " WHERE id = ?")) {
            int i = 1;
            for (String name : names) {
                update.setObject(i++, asset.columns().get(name));
            }
            update.setString(i, asset.id());
            update.executeUpdate();
        }
    }

    private static int putIfNewer(Connection c, String id, TransferAnalysis analysis) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("""
                INSERT INTO analysis_cache (asset_id, analyzer, config_hash, result_json, duration_ms, created_at)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (asset_id, analyzer, config_hash) DO UPDATE SET
                    result_json = excluded.result_json,
                    duration_ms = excluded.duration_ms,
                    created_at = excluded.created_at
                WHERE excluded.created_at > analysis_cache.created_at""")) {
            upsert.setString(1, id);
            upsert.setString(2, analysis.analyzer());
            upsert.setString(3, analysis.configHash());
            upsert.setString(4, analysis.resultJson());
            upsert.setLong(5, analysis.durationMs());
            upsert.setString(6, analysis.createdAt() == null ? Timestamps.stored(Instant.EPOCH) : analysis.createdAt());
            return upsert.executeUpdate();
        }
    }
}
