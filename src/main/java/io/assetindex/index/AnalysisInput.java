package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.util.Json;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The file an analyzer looks at, with what is already known about it.
 *
 * @param relPath the path below its watch root ("/" separated), where the content was found
 * @param jobId   its job, or null
 * @param earlier the results of the analyzers that ran before, by analyzer name
 * @param scratch what analyzers hand on for this file only (a decoded picture, a vector), never
 *                cached; an analyzer must work without it
 */
public record AnalysisInput(Path file, MediaType mediaType, long sizeBytes, String contentHash, String relPath,
        String jobId, ObjectNode earlier, Map<String, Object> scratch) {

    /** Key of the picture an analyzer decoded (a {@link java.awt.image.BufferedImage}, maybe sub-sampled). */
    public static final String DECODED_IMAGE = "decoded_image";

    public AnalysisInput(Path file, MediaType mediaType, long sizeBytes, String contentHash) {
        this(file, mediaType, sizeBytes, contentHash, file.getFileName().toString(), null, Json.object(),
                new HashMap<>());
    }

    public AnalysisInput(Path file, MediaType mediaType, long sizeBytes, String contentHash, ObjectNode earlier) {
        this(file, mediaType, sizeBytes, contentHash, file.getFileName().toString(), null, earlier, new HashMap<>());
    }

    /** The same file, with the results so far. */
    AnalysisInput withEarlier(ObjectNode results) {
        return new AnalysisInput(file, mediaType, sizeBytes, contentHash, relPath, jobId, results, scratch);
    }

    /** The lower-case extension without the dot, or "". */
    public String extension() {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    /** What the probe found (an empty object if it has not run). */
    public JsonNode probe() {
        return earlier.path(ProbeAnalyzer.NAME);
    }
}
