package io.assetindex.maintain;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.Sha256Hasher;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexTransfer;
import io.assetindex.store.PathRecord;
import io.assetindex.store.VectorRecord;
import io.assetindex.store.Vectors;
import io.assetindex.util.Json;
import io.assetindex.util.SafeFiles;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * {@code import FILE}: merges an export into this workspace's index (see {@link IndexTransfer}
 * for the rules). No analyzer runs: the export's results are stored as they are.
 *
 * <p>The file is read twice. The first pass checks all of it and changes nothing: the header,
 * every line, every path (relative, no "..", under a watch path of this workspace, so nothing
 * can point outside it), every thumbnail (its name is the hash of its bytes, under
 * {@code thumbs/}) and the trailer (a file cut short is refused). The second pass merges in
 * transactions of {@value #BATCH} assets. Vectors are imported only when they were made by the
 * embedding model this index uses; otherwise they are left out, and the next scan or watch
 * re-embeds those assets from their stored text (no file is read). A thumbnail result whose
 * file is not in the export is left out too, and made again by the next pass that can read the file.
 */
public final class IndexImport {
    static final int BATCH = 200;
    private static final Pattern ID = Pattern.compile("[0-9a-f]{64}");
    private static final List<String> MEDIA_TYPES = Arrays.stream(MediaType.values()).map(MediaType::id).toList();

    /** What the import did. */
    public record Report(long assets, long newAssets, long updatedAssets, long paths, long pathConflicts,
            long analyses, long vectors, long thumbnails, String vectorsLeftOut, double seconds) {

        public String line() {
            return String.format("%d assets (%d new, %d with newer analyses), %d paths (%d kept as this index has them),"
                    + " %d analysis results, %d vectors, %d thumbnails in %.1fs", assets, newAssets, updatedAssets,
                    paths, pathConflicts, analyses, vectors, thumbnails, seconds);
        }
    }

    private final IndexDatabase database;
    private final Path dataDir;
    private final Map<String, WatchRoot> roots;
    private final String configuredEmbedHash;
    private final Clock clock;

    /**
     * @param configuredEmbedHash the config hash of the embedder this workspace is configured with
     *                            (what its vectors will be made by if the index has none yet)
     */
    public IndexImport(IndexDatabase database, Path dataDir, List<WatchRoot> roots, String configuredEmbedHash,
            Clock clock) {
        this.database = database;
        this.dataDir = dataDir;
        this.roots = roots.stream().collect(Collectors.toMap(WatchRoot::name, Function.identity(), (a, b) -> a));
        this.configuredEmbedHash = configuredEmbedHash;
        this.clock = clock;
    }

    /** Hears how far the merge is (after the whole file was checked). */
    public interface Listener {
        Listener NONE = new Listener() {};

        default void started(long assets) {}

        default void merged(long assets) {}
    }

    public Report run(Path file) {
        return run(file, Listener.NONE);
    }

    public Report run(Path file, Listener listener) {
        long start = System.nanoTime();
        Checked checked = check(file);
        JsonNode header = checked.header();
        listener.started(checked.assets());
        IndexTransfer transfer = new IndexTransfer(database);
        JsonNode model = header.path("embedding_model");
        String target = transfer.activeModel().map(EmbeddingModel::configHash).orElse(configuredEmbedHash);
        boolean vectors = model.isObject() && model.path("config_hash").asText().equals(target);
        String leftOut = vectors || !model.isObject() ? null : "made by " + model.path("model").asText() + " ("
                + model.path("dimension").asInt() + " dims), not the model this index uses; the next scan or watch"
                + " re-embeds those assets from their stored text";
        Tally tally = new Tally();
        List<IndexTransfer.Incoming> batch = new ArrayList<>();
        forEachLine(file, (number, line) -> {
            if (!line.path("type").asText().equals("asset")) {
                return;
            }
            batch.add(incoming(line, vectors ? model : null, tally));
            if (batch.size() == BATCH) {
                tally.add(transfer.merge(batch, clock.instant()));
                batch.clear();
                listener.merged(tally.assets);
            }
        });
        tally.add(transfer.merge(batch, clock.instant()));
        listener.merged(tally.assets);
        return new Report(tally.assets, tally.newAssets, tally.updated, tally.paths, tally.conflicts, tally.analyses,
                tally.vectors, tally.thumbnails, leftOut, (System.nanoTime() - start) / 1e9);
    }

    private IndexTransfer.Incoming incoming(JsonNode line, JsonNode model, Tally tally) throws IOException {
        IndexTransfer.TransferAsset asset = ExportFormat.asset(line);
        String thumbnail = storeThumbnail(line.path("thumbnail"), tally);
        List<IndexTransfer.TransferAnalysis> analyses = asset.analyses().stream()
                .filter(a -> !a.analyzer().equals(ExportFormat.THUMBNAIL_ANALYZER)
                        || Json.read(a.resultJson()).path("path").asText("").equals(thumbnail))
                .toList();
        asset = new IndexTransfer.TransferAsset(asset.columns(), asset.paths(), analyses, asset.vector());
        List<PathRecord> paths = new ArrayList<>();
        for (IndexTransfer.TransferPath path : asset.paths()) {
            WatchRoot root = roots.get(path.sourceRoot());
            // The job id follows this workspace's jobs_roots, like every path it indexes itself.
            paths.add(new PathRecord(root.name(), path.relPath(), root.dir().resolve(path.relPath()).toString(),
                    root.jobIdFor(Path.of(path.relPath())), asset.id(), path.sizeBytes(), path.mtimeNs()));
        }
        VectorRecord vector = model == null || asset.vector() == null ? null
                : new VectorRecord(model.get("config_hash").asText(), model.path("model").asText(),
                        Json.write(model.path("identity")), Vectors.unpack(asset.vector()));
        return new IndexTransfer.Incoming(asset, paths, vector);
    }

    /** Writes the line's thumbnail under .asset_index/ unless it is there; returns its path, or null. */
    private String storeThumbnail(JsonNode thumbnail, Tally tally) throws IOException {
        if (!thumbnail.isObject()) {
            return null;
        }
        String relative = thumbnail.get("path").asText();
        Path target = dataDir.resolve(relative);
        if (!Files.isRegularFile(target)) {
            Files.createDirectories(target.getParent());
            SafeFiles.write(target, Base64.getDecoder().decode(thumbnail.get("data").asText()), "import");
            tally.thumbnails++;
        }
        return relative;
    }

    private record Checked(JsonNode header, long assets) {}

    /** The first pass: the whole file is valid, or a MaintenanceException names the first problem. */
    private Checked check(Path file) {
        JsonNode[] header = new JsonNode[1];
        long[] assets = new long[1];
        boolean[] ended = new boolean[1];
        forEachLine(file, (number, line) -> {
            if (ended[0]) {
                throw bad(file, number, "text after the end line");
            }
            if (number == 1) {
                checkHeader(file, line);
                header[0] = line;
                return;
            }
            switch (line.path("type").asText()) {
                case "asset" -> {
                    checkAsset(file, number, line);
                    assets[0]++;
                }
                case "end" -> {
                    if (line.path("assets").asLong(-1) != assets[0]) {
                        throw bad(file, number, "the end line counts " + line.path("assets") + " assets, the file has "
                                + assets[0]);
                    }
                    ended[0] = true;
                }
                default -> throw bad(file, number, "unknown line type " + line.path("type"));
            }
        });
        if (header[0] == null) {
            throw new MaintenanceException(file + " is empty; give a file written by 'asset-index export'");
        }
        if (!ended[0]) {
            throw new MaintenanceException(file + " has no end line: it was cut short; export again");
        }
        return new Checked(header[0], assets[0]);
    }

    private static void checkHeader(Path file, JsonNode line) {
        if (!ExportFormat.FORMAT.equals(line.path("format").asText())) {
            throw new MaintenanceException(file + " is not an asset-index export (its first line has no \"format\": \""
                    + ExportFormat.FORMAT + "\")");
        }
        if (line.path("version").asInt() != ExportFormat.VERSION) {
            throw new MaintenanceException(file + " is export format version " + line.path("version")
                    + "; this asset-index reads version " + ExportFormat.VERSION + "; use the asset-index that wrote it"
                    + " or a newer one");
        }
    }

    private void checkAsset(Path file, long number, JsonNode line) {
        JsonNode asset = line.path("asset");
        String id = asset.path("id").asText();
        if (!ID.matcher(id).matches()) {
            throw bad(file, number, "asset id " + asset.path("id") + " is not a SHA-256 in lowercase hex");
        }
        if (!MEDIA_TYPES.contains(asset.path("media_type").asText()) || !asset.path("file_name").isTextual()
                || !asset.path("size_bytes").canConvertToLong() || !asset.path("indexed_at").isTextual()) {
            throw bad(file, number, "asset " + id + " lacks file_name, media_type, size_bytes or indexed_at");
        }
        if (!line.path("paths").isArray() || line.path("paths").isEmpty()) {
            throw bad(file, number, "asset " + id + " has no paths");
        }
        for (JsonNode path : line.get("paths")) {
            String root = path.path("source_root").asText();
            String rel = path.path("rel_path").asText();
            if (!roots.containsKey(root)) {
                throw bad(file, number, "path " + root + "/" + rel + " is under watch path '" + root + "', which this"
                        + " workspace does not have (its watch paths: " + roots.keySet() + "); add it to watch_paths");
            }
            if (!safeRelativePath(roots.get(root), rel)) {
                throw bad(file, number, "path '" + rel + "' under " + root + " is not a plain relative path inside"
                        + " it (absolute, empty, or with '..'); refusing it");
            }
        }
        for (JsonNode analysis : line.path("analyses")) {
            if (!analysis.path("analyzer").isTextual() || !analysis.path("config_hash").isTextual()
                    || !analysis.has("result")) {
                throw bad(file, number, "asset " + id + " has an analysis without analyzer, config_hash or result");
            }
        }
        checkThumbnail(file, number, line.path("thumbnail"));
    }

    private static void checkThumbnail(Path file, long number, JsonNode thumbnail) {
        if (thumbnail.isMissingNode() || thumbnail.isNull()) {
            return;
        }
        Matcher name = ExportFormat.THUMBNAIL_PATH.matcher(thumbnail.path("path").asText());
        if (!name.matches()) {
            throw bad(file, number, "thumbnail path " + thumbnail.path("path") + " is not thumbs/xx/<sha256>.jpg");
        }
        byte[] data;
        try {
            data = Base64.getDecoder().decode(thumbnail.path("data").asText());
        } catch (IllegalArgumentException e) {
            throw bad(file, number, "thumbnail data is not base64");
        }
        if (!Sha256Hasher.hex(data).equals(name.group(2))) {
            throw bad(file, number, "thumbnail " + name.group(2) + " does not have that hash");
        }
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

    private static MaintenanceException bad(Path file, long number, String what) {
        return new MaintenanceException(file + " line " + number + ": " + what + "; nothing was imported");
    }

    @FunctionalInterface
    private interface LineHandler {
        void accept(long number, JsonNode line) throws IOException;
    }

    private static void forEachLine(Path file, LineHandler handler) {
        long number = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(open(file), StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                number++;
                if (text.isBlank()) {
                    continue;
                }
                JsonNode line;
                try {
                    line = Json.MAPPER.readTree(text);
                } catch (JacksonException e) {
                    throw bad(file, number, "not JSON (" + e.getOriginalMessage() + ")");
                }
                handler.accept(number, line);
            }
        } catch (IOException e) {
            throw new MaintenanceException("cannot read " + file + (number > 0 ? " at line " + number : "") + ": "
                    + e.getMessage(), e);
        }
    }

    /** The file, gunzipped when it starts with gzip's magic bytes. */
    private static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzip ? new GZIPInputStream(in, 1 << 16) : in;
    }

    /** Counts of one import. */
    private static final class Tally {
        long assets;
        long newAssets;
        long updated;
        long paths;
        long conflicts;
        long analyses;
        long vectors;
        long thumbnails;

        void add(List<IndexTransfer.Merged> merged) {
            for (IndexTransfer.Merged one : merged) {
                assets++;
                newAssets += one.newAsset() ? 1 : 0;
                updated += one.factsReplaced() ? 1 : 0;
                paths += one.pathsAdded();
                conflicts += one.pathConflicts();
                analyses += one.analysesWritten();
                vectors += one.vectorWritten() ? 1 : 0;
            }
        }
    }
}
