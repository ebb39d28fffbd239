package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.MediaException;
import io.assetindex.media.MediaTools;
import io.assetindex.media.Thumbnailer;
import io.assetindex.util.Json;
import io.assetindex.util.SafeFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.EnumSet;

/**
 * The "thumbnail" analyzer: a JPEG of an image or a video frame, stored by the SHA-256 of its
 * own bytes under {@code .asset_index/thumbs/ab/<sha256>.jpg}, so equal thumbnails are stored
 * once. Its cached result is the derived-file record: input (the asset), parameters (the config
 * hash, size, quality), output hash and path, and time; the thumbnail is still valid for its
 * source while that record's config hash is current and the file has that hash. Writes are
 * crash-safe (temp file, rename) and synced by the indexer before the result is recorded
 * ({@link WrittenFiles}). A failure leaves the asset without a thumbnail, nothing more. It takes
 * the picture the integrity check decoded out of the file's scratch, so that a file waiting for
 * its embedding or its commit does not hold it.
 */
public final class ThumbnailAnalyzer extends MediaAnalyzer {
    public static final String NAME = "thumbnail";
    /** Under {@code .asset_index/}. */
    public static final String FOLDER = "thumbs";

    private final MediaTools tools;
    private final Path dataDir;
    private final int size;
    private final int quality;

    /**
     * @param dataDir the workspace's {@code .asset_index} folder; thumbnails go below it
     */
    public ThumbnailAnalyzer(MediaTools tools, Path dataDir, int size, int quality) {
        super(settings(size, quality), false, EnumSet.of(MediaType.IMAGE, MediaType.VIDEO));
        this.tools = tools;
        this.dataDir = dataDir;
        this.size = size;
        this.quality = quality;
    }

    /** The settings its thumbnails depend on: the longest side in pixels and the JPEG quality. */
    public static AnalyzerSettings settings(int size, int quality) {
        return AnalyzerSettings.of(NAME, "1", "size", size, "quality", quality);
    }

    @Override
    ObjectNode read(AnalysisInput input) throws MediaException, IOException, InterruptedException {
        Thumbnailer.Thumbnail thumbnail = Thumbnailer.make(tools, source(input),
                (BufferedImage) input.scratch().remove(AnalysisInput.DECODED_IMAGE), size, quality);
        String hash = Sha256Hasher.hex(thumbnail.jpeg());
        Path relative = Path.of(FOLDER, hash.substring(0, 2), hash + ".jpg");
        store(dataDir.resolve(relative), thumbnail.jpeg());
        WrittenFiles.add(input, dataDir.resolve(relative));
        ObjectNode result = Json.object();
        result.put("path", relative.toString().replace(relative.getFileSystem().getSeparator(), "/"));
        result.put("sha256", hash);
        result.put("bytes", thumbnail.jpeg().length);
        // Not "width"/"height": keys named like asset columns would fill them.
        result.put("thumb_width", thumbnail.width());
        result.put("thumb_height", thumbnail.height());
        result.put("size", size);
        result.put("quality", quality);
        result.put("source", thumbnail.source());
        return result;
    }

    /** What the probe found, as the thumbnailer needs it. */
    static Thumbnailer.Source source(AnalysisInput input) {
        JsonNode probe = input.probe();
        boolean turned = probe.has("pixel_width");
        return new Thumbnailer.Source(input.file(), input.mediaType(), input.sizeBytes(),
                probe.path("format").asText(null), probe.path("orientation").asInt(1),
                probe.has("duration_seconds") ? probe.get("duration_seconds").asDouble() : null,
                probe.path(turned ? "pixel_width" : "width").asInt(0),
                probe.path(turned ? "pixel_height" : "height").asInt(0));
    }

    private static void store(Path target, byte[] jpeg) throws IOException {
        if (Files.isRegularFile(target) && Files.size(target) == jpeg.length) {
            // Content-addressed: same name, same bytes. Touched, so 'prune' (which spares files
            // younger than an hour that are not recorded yet) does not remove it before it is.
            Files.setLastModifiedTime(target, FileTime.from(Instant.now()));
            return;
        }
        Files.createDirectories(target.getParent());
        SafeFiles.writeUnsynced(target, jpeg, "thumb");
    }
}
