package io.assetindex.maintain;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.ConfigHash;
import io.assetindex.index.Sha256Hasher;
import io.assetindex.maintain.ImportedValues.Kind;
import io.assetindex.store.ConfigSnapshot;
import io.assetindex.store.IndexTransfer;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The lines of an export, read into what the merge stores, and nothing else: every value the
 * merge uses is produced here, after its check, so what was checked is what is written. A value
 * that does not fit throws {@link BadLine} naming the field. The rules are the format's
 * ({@link ExportFormat}) and the readers' ({@link ImportedValues}); keys a line may have that
 * this version does not know are ignored.
 */
final class ImportedLine {
    /** The largest vector dimension accepted (the largest embedding models make a few thousand). */
    static final int MAX_DIMENSION = 1 << 16;

    private ImportedLine() {}

    /** The model whose vectors the export holds, as its header declares it. */
    record Model(String configHash, String name, int dimension, String identityJson) {}

    /**
     * The first line: format, version, the vectors' model (null when the export has none) and the
     * settings behind the config hashes (none from an export made before they were recorded).
     */
    record Header(Model model, List<ConfigSnapshot> settings) {}

    /** A thumbnail to write under .asset_index/, its name the hash of its bytes. */
    record Thumbnail(String path, byte[] jpeg) {}

    /**
     * One asset line, ready to merge.
     *
     * @param vector    the vector, of the header's dimension, or null
     * @param thumbnail or null
     */
    record Asset(IndexTransfer.TransferAsset asset, float[] vector, Thumbnail thumbnail) {}

    static Header header(JsonNode line, String file) {
        if (!ExportFormat.FORMAT.equals(line.path("format").asText())) {
            throw new MaintenanceException(file + " is not an asset-index export (its first line has no \"format\": \""
                    + ExportFormat.FORMAT + "\")");
        }
        if (!line.path("version").isInt() || line.path("version").asInt() != ExportFormat.VERSION) {
            throw new MaintenanceException(file + " is export format version " + line.path("version")
                    + "; this asset-index reads version " + ExportFormat.VERSION + "; use the asset-index that wrote it"
                    + " or a newer one");
        }
        return new Header(model(line.path("embedding_model")), settings(line.path("config_snapshots")));
    }

    private static Model model(JsonNode model) {
        if (model.isMissingNode() || model.isNull()) {
            return null;
        }
        if (!model.isObject()) {
            throw new BadLine("embedding_model", "not an object");
        }
        long dimension = ImportedValues.count("embedding_model.dimension", model.path("dimension"));
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new BadLine("embedding_model.dimension", dimension + " is not between 1 and " + MAX_DIMENSION);
        }
        JsonNode identity = model.path("identity");
        ImportedValues.checkShape("embedding_model.identity", identity, Kind.OBJECT);
        return new Model(name("embedding_model.config_hash", model.path("config_hash")),
                name("embedding_model.model", model.path("model")), (int) dimension, Json.write(identity));
    }

    /** The settings behind config hashes; each hash must be the one of its settings text, so none can lie. */
    private static List<ConfigSnapshot> settings(JsonNode snapshots) {
        if (snapshots.isMissingNode() || snapshots.isNull()) {
            return List.of();
        }
        if (!snapshots.isArray()) {
            throw new BadLine("config_snapshots", "not a list");
        }
        List<ConfigSnapshot> out = new ArrayList<>();
        for (int i = 0; i < snapshots.size(); i++) {
            String field = "config_snapshots[" + i + "]";
            JsonNode snapshot = object(field, snapshots.get(i));
            String hash = name(field + ".config_hash", snapshot.path("config_hash"));
            String text = ImportedValues.text(field + ".settings_text", snapshot.path("settings_text"));
            if (!hash.equals(ConfigHash.of(text))) {
                throw new BadLine(field + ".config_hash", ImportedValues.brief(hash) + " is not the hash of its"
                        + " settings_text");
            }
            JsonNode settings = snapshot.path("settings");
            ImportedValues.checkShape(field + ".settings", settings, Kind.OBJECT);
            String recordedAt = (String) ImportedValues.value(field + ".recorded_at", snapshot.path("recorded_at"),
                    new ImportedValues.Rule(Kind.TIMESTAMP, true));
            out.add(new ConfigSnapshot(hash, name(field + ".analyzer", snapshot.path("analyzer")), text,
                    Json.write(settings), name(field + ".program_version", snapshot.path("program_version")),
                    Timestamps.parse(recordedAt)));
        }
        return out;
    }

    /**
     * An asset line.
     *
     * @param roots this workspace's watch paths by name: every path must lie under one
     */
    static Asset asset(JsonNode line, Header header, Map<String, WatchRoot> roots) {
        Map<String, Object> columns = ImportedValues.assetColumns(line.path("asset"));
        List<IndexTransfer.TransferPath> paths = paths(line.path("paths"), roots);
        Thumbnail thumbnail = thumbnail(line.path("thumbnail"));
        List<IndexTransfer.TransferAnalysis> analyses = analyses(line.path("analyses"), thumbnail);
        float[] vector = vector(line.path("embedding"), header.model());
        return new Asset(new IndexTransfer.TransferAsset(columns, paths, analyses, null), vector, thumbnail);
    }

    private static List<IndexTransfer.TransferPath> paths(JsonNode paths, Map<String, WatchRoot> roots) {
        if (!paths.isArray() || paths.isEmpty()) {
            throw new BadLine("paths", "not a list of at least one path");
        }
        List<IndexTransfer.TransferPath> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String field = "paths[" + i + "]";
            JsonNode path = object(field, paths.get(i));
            String root = ImportedValues.text(field + ".source_root", path.path("source_root"));
            String rel = ImportedValues.text(field + ".rel_path", path.path("rel_path"));
            if (!roots.containsKey(root)) {
                throw new BadLine(field + ".source_root", "watch path '" + ImportedValues.brief(root) + "' is not one"
                        + " of this workspace's " + roots.keySet() + "; add it to watch_paths");
            }
            if (!safeRelativePath(roots.get(root), rel)) {
                throw new BadLine(field + ".rel_path", "'" + ImportedValues.brief(rel) + "' is not a plain relative"
                        + " path inside watch path " + root + " (absolute, empty, or with '..')");
            }
            // The job id is this workspace's to decide (its jobs_roots), like for every path it indexes.
            out.add(new IndexTransfer.TransferPath(root, rel, null,
                    ImportedValues.count(field + ".size_bytes", path.path("size_bytes")),
                    ImportedValues.integer(field + ".mtime_ns", path.path("mtime_ns"))));
        }
        return out;
    }

    static boolean safeRelativePath(WatchRoot root, String rel) {
        if (rel.isEmpty() || rel.startsWith("/") || rel.contains("\\") || rel.indexOf('\0') >= 0 || rel.contains(":")) {
            return false;
        }
        for (String segment : rel.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return false;
            }
        }
        try {
            Path resolved = root.dir().resolve(rel).normalize();
            return resolved.startsWith(root.dir()) && !resolved.equals(root.dir());
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * The analysis results. A thumbnail result is kept only when the line carries its file: one
     * pointing at a file that is not there is made again by the next pass that can read the media.
     */
    private static List<IndexTransfer.TransferAnalysis> analyses(JsonNode analyses, Thumbnail thumbnail) {
        if (analyses.isMissingNode() || analyses.isNull()) {
            return List.of();
        }
        if (!analyses.isArray()) {
            throw new BadLine("analyses", "not a list");
        }
        List<IndexTransfer.TransferAnalysis> out = new ArrayList<>();
        for (int i = 0; i < analyses.size(); i++) {
            String field = "analyses[" + i + "]";
            JsonNode analysis = object(field, analyses.get(i));
            String analyzer = name(field + ".analyzer", analysis.path("analyzer"));
            JsonNode result = analysis.path("result");
            ImportedValues.checkShape(field + ".result", result, Kind.OBJECT);
            ImportedValues.RESULT_JSON_FIELDS.forEach((key, kind) -> {
                if (result.hasNonNull(key)) {
                    ImportedValues.checkShape(field + ".result." + key, result.get(key), kind);
                }
            });
            if (analyzer.equals(ExportFormat.THUMBNAIL_ANALYZER)
                    && (thumbnail == null || !thumbnail.path().equals(result.path("path").asText()))) {
                continue;
            }
            Object durationMs = ImportedValues.value(field + ".duration_ms", analysis.path("duration_ms"),
                    new ImportedValues.Rule(Kind.COUNT, false));
            String createdAt = (String) ImportedValues.value(field + ".created_at", analysis.path("created_at"),
                    new ImportedValues.Rule(Kind.TIMESTAMP, false));
            out.add(new IndexTransfer.TransferAnalysis(analyzer, name(field + ".config_hash", analysis.path("config_hash")),
                    Json.write(result), durationMs == null ? 0 : (Long) durationMs, createdAt));
        }
        return out;
    }

    private static Thumbnail thumbnail(JsonNode thumbnail) {
        if (thumbnail.isMissingNode() || thumbnail.isNull()) {
            return null;
        }
        object("thumbnail", thumbnail);
        String path = ImportedValues.text("thumbnail.path", thumbnail.path("path"));
        Matcher name = ExportFormat.THUMBNAIL_PATH.matcher(path);
        if (!name.matches()) {
            throw new BadLine("thumbnail.path", "'" + ImportedValues.brief(path) + "' is not thumbs/xx/<sha256>.jpg");
        }
        byte[] jpeg = base64("thumbnail.data", thumbnail.path("data"));
        if (!Sha256Hasher.hex(jpeg).equals(name.group(2))) {
            throw new BadLine("thumbnail.data", "its SHA-256 is not " + name.group(2) + ", the name it is stored under");
        }
        return new Thumbnail(path, jpeg);
    }

    /**
     * The vector: packed little-endian float32, finite, of the dimension the header declares (a
     * file whose header names no model has its vectors left out by the merge).
     */
    private static float[] vector(JsonNode embedding, Model model) {
        if (embedding.isMissingNode() || embedding.isNull()) {
            return null;
        }
        byte[] bytes = base64("embedding", embedding);
        if (bytes.length == 0 || bytes.length % Float.BYTES != 0) {
            throw new BadLine("embedding", bytes.length + " bytes, not a whole number of float32 values");
        }
        int dimension = bytes.length / Float.BYTES;
        if (model != null && dimension != model.dimension()) {
            throw new BadLine("embedding", dimension + " dimensions, but the first line says " + model.name()
                    + " makes " + model.dimension());
        }
        float[] vector = new float[dimension];
        FloatBuffer floats = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        floats.get(vector);
        for (int i = 0; i < dimension; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new BadLine("embedding", "value " + i + " is " + vector[i] + ", not a finite number");
            }
        }
        return vector;
    }

    private static byte[] base64(String field, JsonNode node) {
        String text = ImportedValues.text(field, node);
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new BadLine(field, "not base64 (" + e.getMessage() + ")");
        }
    }

    private static JsonNode object(String field, JsonNode node) {
        if (!node.isObject()) {
            throw new BadLine(field, "not an object (" + ImportedValues.brief(node) + ")");
        }
        return node;
    }

    private static String name(String field, JsonNode node) {
        return (String) ImportedValues.value(field, node, new ImportedValues.Rule(Kind.NAME, true));
    }
}
