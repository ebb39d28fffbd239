package io.assetindex.maintain;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.ConfigSnapshot;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.IndexTransfer;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The export file: JSON Lines, UTF-8, optionally gzipped. The first line is a header
 * ({@code {"format":"asset-index-export","version":1,...}}, with the settings behind every config
 * hash the index recorded: {@code config_snapshots}), then one line per asset, then a
 * trailer ({@code {"type":"end","assets":N}}) whose absence means the file was cut short.
 * Paths are relative to their watch root with "/" separators; vectors are base64 of packed
 * little-endian float32 (sqlite-vec's bytes); thumbnails, when included, are base64 JPEG.
 * A reader of version 1 ignores keys it does not know; a new version means an incompatible change.
 * {@link ImportedLine} reads it back.
 */
final class ExportFormat {
    static final String FORMAT = "asset-index-export";
    static final int VERSION = 1;
    static final String THUMBNAIL_ANALYZER = "thumbnail";
    /** Where thumbnails live below .asset_index/: nothing else may be written from an import. */
    static final Pattern THUMBNAIL_PATH = Pattern.compile("thumbs/([0-9a-f]{2})/(\\1[0-9a-f]{62})\\.jpg");

    private ExportFormat() {}

    static ObjectNode header(String exportedAt, String programVersion, int schemaVersion, EmbeddingModel model,
            boolean thumbnails, List<ConfigSnapshot> settings) {
        ObjectNode header = Json.object();
        header.put("format", FORMAT);
        header.put("version", VERSION);
        header.put("exported_at", exportedAt);
        header.put("asset_index_version", programVersion);
        header.put("schema_version", schemaVersion);
        if (model == null) {
            header.putNull("embedding_model");
        } else {
            ObjectNode embedding = header.putObject("embedding_model");
            embedding.put("config_hash", model.configHash());
            embedding.put("model", model.model());
            embedding.put("dimension", model.dimension());
            embedding.set("identity", Json.read(model.identityJson()));
        }
        header.put("thumbnails", thumbnails);
        ArrayNode snapshots = header.putArray("config_snapshots");
        for (ConfigSnapshot snapshot : settings) {
            ObjectNode node = snapshots.addObject();
            node.put("config_hash", snapshot.configHash());
            node.put("analyzer", snapshot.analyzer());
            node.put("settings_text", snapshot.settingsText());
            node.set("settings", Json.read(snapshot.settingsJson()));
            node.put("program_version", snapshot.programVersion());
            node.put("recorded_at", Timestamps.stored(snapshot.recordedAt()));
        }
        return header;
    }

    static ObjectNode assetLine(IndexTransfer.TransferAsset asset, byte[] thumbnail, String thumbnailPath) {
        ObjectNode line = Json.object();
        line.put("type", "asset");
        line.set("asset", Json.MAPPER.valueToTree(asset.columns()));
        ArrayNode paths = line.putArray("paths");
        for (IndexTransfer.TransferPath path : asset.paths()) {
            ObjectNode node = paths.addObject();
            node.put("source_root", path.sourceRoot());
            node.put("rel_path", path.relPath());
            node.put("job_id", path.jobId());
            node.put("size_bytes", path.sizeBytes());
            node.put("mtime_ns", path.mtimeNs());
        }
        ArrayNode analyses = line.putArray("analyses");
        for (IndexTransfer.TransferAnalysis analysis : asset.analyses()) {
            ObjectNode node = analyses.addObject();
            node.put("analyzer", analysis.analyzer());
            node.put("config_hash", analysis.configHash());
            node.set("result", Json.read(analysis.resultJson()));
            node.put("duration_ms", analysis.durationMs());
            node.put("created_at", analysis.createdAt());
        }
        line.put("embedding", asset.vector() == null ? null : Base64.getEncoder().encodeToString(asset.vector()));
        if (thumbnail == null) {
            line.putNull("thumbnail");
        } else {
            ObjectNode node = line.putObject("thumbnail");
            node.put("path", thumbnailPath);
            node.put("data", Base64.getEncoder().encodeToString(thumbnail));
        }
        return line;
    }

    static ObjectNode trailer(long assets) {
        ObjectNode end = Json.object();
        end.put("type", "end");
        end.put("assets", assets);
        return end;
    }
}
