package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.IntegrityCheck;
import io.assetindex.media.MediaException;
import io.assetindex.media.MediaTools;
import io.assetindex.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;

/**
 * The "integrity" analyzer: is the file damaged (see {@link IntegrityCheck})? For audio and
 * video the quick check is what the probe saw while it read every packet (no second pass);
 * the deep check decodes every frame with ffmpeg. Its result says
 * {@code corrupt}, {@code warning}, {@code details}, {@code tool}, {@code mode} and
 * {@code check_ms}; a corrupt file is not indexed (process_log says why), and the verdict is
 * cached, so the same bytes are not checked again under the same settings.
 */
public final class IntegrityAnalyzer extends MediaAnalyzer {
    public static final String NAME = "integrity";

    private final MediaTools tools;
    private final boolean deep;
    private final int previewLongSide;

    public IntegrityAnalyzer(MediaTools tools, boolean deep) {
        this(tools, deep, 0);
    }

    /**
     * @param previewLongSide the thumbnail size, so that the picture it decodes can be reused for the
     *                        thumbnail (a speed hint: it does not change the verdict nor the config hash)
     */
    public IntegrityAnalyzer(MediaTools tools, boolean deep, int previewLongSide) {
        super(settings(deep), true, EnumSet.allOf(MediaType.class));
        this.tools = tools;
        this.deep = deep;
        this.previewLongSide = previewLongSide;
    }

    /** The settings its verdicts depend on: whether every frame is decoded. */
    public static AnalyzerSettings settings(boolean deep) {
        return AnalyzerSettings.of(NAME, "1", "deep", deep);
    }

    @Override
    ObjectNode read(AnalysisInput input) throws MediaException, IOException, InterruptedException {
        JsonNode probe = input.probe();
        Double duration = probe.has("duration_seconds") ? probe.get("duration_seconds").asDouble() : null;
        JsonNode packets = probe.path("packets");
        IntegrityCheck.Verdict verdict = !deep && packets.path("read").asBoolean()
                ? IntegrityCheck.fromProbePackets(texts(packets.path("errors")), texts(packets.path("warnings")),
                        packets.path("read_ms").asLong())
                : IntegrityCheck.check(tools, input.file(), input.mediaType(), probe.path("format").asText(null),
                        input.sizeBytes(), duration, deep, previewLongSide);
        if (verdict.decoded() != null) {
            input.scratch().put(AnalysisInput.DECODED_IMAGE, verdict.decoded());
        }
        ObjectNode result = Json.object();
        result.put("corrupt", verdict.corrupt());
        result.put("warning", verdict.warning());
        result.put("details", verdict.details());
        result.put("tool", verdict.tool());
        result.put("mode", verdict.mode());
        result.put("check_ms", verdict.durationMs());
        return result;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    @Override
    public Optional<String> rejection(ObjectNode result) {
        if (!result.path("corrupt").asBoolean()) {
            return Optional.empty();
        }
        return Optional.of("corrupt: " + result.path("details").asText("no details") + " (checked by "
                + result.path("tool").asText("?") + ")");
    }
}
