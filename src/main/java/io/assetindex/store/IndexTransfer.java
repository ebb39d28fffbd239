package io.assetindex.store;

import io.assetindex.util.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * other content is the target's truth about its own disk and is kept. An incoming vector is
 * stored only into the target's active model (or as the first one of an index without vectors):
 * a merge never changes a model's dimension nor touches a model being built.
 */
public final class IndexTransfer {
    /**
     * Columns not carried over: where the file was on the exporting machine. An imported asset
     * takes them from its first path here.
     */
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

    /** Receives the export: first what the snapshot's vectors and rows are, then the assets one at a time. */
    public interface Sink {
        /**
         * @param activeModel the model of the exported vectors, or null when there are none
         * @param settings    every config hash the index recorded, with its settings
         */
        void begin(EmbeddingModel activeModel, int schemaVersion, List<ConfigSnapshot> settings) throws Exception;

        void accept(TransferAsset asset) throws Exception;
    }

    /** What merging one asset did. */
    public record Merged(boolean newAsset, boolean factsReplaced, int pathsAdded, int pathConflicts, int analysesWritten,
            boolean vectorWritten) {}

    private final IndexDatabase database;
    private final AssetRepository assets = new AssetRepository();
    private final PathRepository paths = new PathRepository();
    private final VectorRepository vectors = new VectorRepository();
    private final AnalysisCacheRepository analysisCache = new AnalysisCacheRepository();
    private final ConfigSnapshotRepository configSnapshots = new ConfigSnapshotRepository();
    /** The assets table's columns (read once: names from an import file become SQL only if they are among them). */
    private Set<String> assetColumns;

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
        return database.readSnapshot(c -> exportAll(c, sink));
    }

    private long exportAll(Connection c, Sink sink) throws SQLException {
        Optional<EmbeddingModel> model = vectors.model(c, EmbeddingModel.ACTIVE);
        List<ConfigSnapshot> settings = configSnapshots.all(c);
        run(() -> sink.begin(model.orElse(null), Migrations.recordedVersion(c), settings));
        long count = 0;
        // One statement each for the whole export, not three per asset.
        try (PreparedStatement query = c.prepareStatement("SELECT * FROM assets a WHERE EXISTS (SELECT 1"
                + " FROM asset_paths p WHERE p.asset_id = a.id AND p.deleted_at IS NULL) ORDER BY id");
                PreparedStatement livePaths = c.prepareStatement("SELECT source_root, rel_path, job_id, size_bytes,"
                        + " mtime_ns FROM asset_paths WHERE asset_id = ? AND deleted_at IS NULL"
                        + " ORDER BY source_root, rel_path");
                PreparedStatement analyses = c.prepareStatement("SELECT analyzer, config_hash, result_json,"
                        + " duration_ms, created_at FROM analysis_cache WHERE asset_id = ? ORDER BY analyzer, config_hash");
                PreparedStatement vector = c.prepareStatement("SELECT embedding FROM assets_vec WHERE id = ?")) {
            query.setFetchSize(1000);
            try (ResultSet rs = query.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> columns = AssetRepository.row(rs);
                    LOCAL_COLUMNS.forEach(columns::remove);
                    String id = (String) columns.get("id");
                    TransferAsset asset = new TransferAsset(columns,
                            rows(livePaths, id, r -> new TransferPath(r.getString(1), r.getString(2), r.getString(3),
                                    r.getLong(4), r.getLong(5))),
                            rows(analyses, id, r -> new TransferAnalysis(r.getString(1), r.getString(2), r.getString(3),
                                    r.getLong(4), r.getString(5))),
                            rows(vector, id, r -> r.getBytes(1)).stream().findFirst().orElse(null));
                    run(() -> sink.accept(asset));
                    count++;
                }
            }
        }
        return count;
    }

    /** Reads one row type. */
    @FunctionalInterface
    private interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private static <T> List<T> rows(PreparedStatement query, String id, RowReader<T> reader) throws SQLException {
        query.setString(1, id);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                out.add(reader.read(rs));
            }
        }
        return out;
    }

    /** Something the sink does. */
    @FunctionalInterface
    private interface SinkCall {
        void run() throws Exception;
    }

    private static void run(SinkCall call) throws SQLException {
        try {
            call.run();
        } catch (SQLException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SQLException("export stopped: " + e.getMessage(), e);
        }
    }

    /**
     * Records the settings behind config hashes that an export carries, in one transaction; a hash
     * this index knows keeps its own record. How many were new.
     */
    public int mergeSettings(List<ConfigSnapshot> settings) {
        return database.write(c -> configSnapshots.record(c, settings));
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
            insertAsset(c, asset, incoming.paths().get(0));
        } else if (newer) {
            Map<AssetColumn, Object> facts = new EnumMap<>(AssetColumn.class);
            for (AssetColumn column : AssetColumn.values()) {
                Object value = asset.columns().get(column.column());
                if (value != null) {
                    facts.put(column, value);
                }
            }
            assets.updateFacts(c, id, facts, (String) asset.columns().get("raw_json"));
        }
        int analyses = 0;
        for (TransferAnalysis analysis : asset.analyses()) {
            analyses += analysisCache.putIfNewer(c, id, new AnalysisRecord(analysis.analyzer(), analysis.configHash(),
                    analysis.resultJson(), analysis.durationMs()),
                    analysis.createdAt() == null ? Timestamps.stored(Instant.EPOCH) : analysis.createdAt());
        }
        boolean vector = incoming.vector() != null && fitsActiveModel(c, incoming.vector())
                && (newer || vectors.activeVector(c, id).isEmpty());
        if (vector) {
            vectors.store(c, id, incoming.vector(), now);
        }
        int added = 0;
        int conflicts = 0;
        for (PathRecord path : incoming.paths()) {
            Optional<KnownPath> known = paths.find(c, database.host(), path.sourceRoot(), path.relPath());
            if (known.isEmpty() || known.get().deleted()) {
                paths.upsert(c, database.host(), path, now); // imported paths are the importing machine's
                added++;
            } else if (!known.get().assetId().equals(id)) {
                conflicts++;
            }
        }
        return new Merged(!exists, exists && newer, added, conflicts, analyses, vector);
    }

    /** Whether a vector belongs to the active model with its dimension, or may start the index's first model. */
    private boolean fitsActiveModel(Connection c, VectorRecord vector) throws SQLException {
        Optional<EmbeddingModel> active = vectors.model(c, EmbeddingModel.ACTIVE);
        if (active.isPresent()) {
            return active.get().configHash().equals(vector.configHash())
                    && active.get().dimension() == vector.vector().length;
        }
        return vectors.modelFor(c, vector.configHash()).isEmpty(); // the model being built is its builder's
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

    private void insertAsset(Connection c, TransferAsset asset, PathRecord first) throws SQLException {
        Map<String, Object> columns = new LinkedHashMap<>();
        if (assetColumns == null) {
            assetColumns = assetColumns(c);
        }
        Set<String> known = assetColumns;
        asset.columns().forEach((name, value) -> {
            if (known.contains(name)) { // names become SQL: only the table's own
                columns.put(name, value);
            }
        });
        columns.put("file_path", first.absPath());
        columns.put("source_root", first.sourceRoot());
        columns.put("job_id", first.jobId());
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
        try (PreparedStatement query = c.prepareStatement(Dialect.of(c) == Dialect.SQLITE
                ? "SELECT name FROM pragma_table_info('assets')"
                : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                        + " AND table_name = 'assets' ORDER BY ordinal_position");
                ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }
}
