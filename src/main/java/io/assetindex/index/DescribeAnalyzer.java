package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.ai.ApiException;
import io.assetindex.ai.Describer;
import io.assetindex.config.AiSettings;
import io.assetindex.media.Keyframes;
import io.assetindex.media.MediaException;
import io.assetindex.media.MediaTools;
import io.assetindex.media.Thumbnailer;
import io.assetindex.util.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The "describe" analyzer: a vision model's style, summary, tags, mood, scenes and audio role
 * for an asset (see {@link Describer}), which fill those columns and the search text. Images are
 * sent downscaled, videos as frames with their times, audio as its facts and transcript. The
 * provider's reply is kept in the result (raw_json) for audit, up to a size (see {@link Describer}).
 *
 * <p>Deferred (it runs in the background after the file is indexed) and optional (a failure
 * leaves the asset without a description, to be tried again later). Its config hash covers the
 * model, the prompt and what is sent, so changing any of them describes every asset again and
 * nothing else; the API's address and key are not part of it.
 */
public final class DescribeAnalyzer extends AiAnalyzer {
    public static final String NAME = "describe";
    private static final int PICTURE_QUALITY = 85;
    private static final int TRANSCRIPT_CHARS = 1500;

    private final MediaTools tools;
    private final Describer describer;
    private final AiSettings settings;

    public DescribeAnalyzer(MediaTools tools, Describer describer, AiSettings settings) {
        super(settings(settings), EnumSet.allOf(MediaType.class), settings.describe());
        this.tools = tools;
        this.describer = describer;
        this.settings = settings;
    }

    /**
     * The settings its descriptions depend on: the model, the prompt (by its hash: it may be long),
     * the longest side of the pictures sent and the frames taken of a video.
     */
    public static AnalyzerSettings settings(AiSettings settings) {
        return AnalyzerSettings.of(NAME, "1", "model", settings.describe().model(), "prompt",
                ConfigHash.of(settings.describePrompt() == null ? Describer.defaultPrompt() : settings.describePrompt()),
                "image", settings.imageMaxSide(), "frames", settings.videoFrames());
    }

    /** Audio is described from its transcript too. */
    @Override
    public Set<String> inputs() {
        return Set.of(TranscribeAnalyzer.NAME);
    }

    @Override
    ObjectNode read(AnalysisInput input) throws MediaException, IOException, InterruptedException, AnalysisException {
        JsonNode probe = input.probe();
        List<byte[]> pictures = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        if (input.mediaType() == MediaType.IMAGE) {
            pictures.add(Thumbnailer.make(tools, ThumbnailAnalyzer.source(input),
                    (BufferedImage) input.scratch().get(AnalysisInput.DECODED_IMAGE), settings.imageMaxSide(),
                    PICTURE_QUALITY).jpeg());
        } else if (input.mediaType() == MediaType.VIDEO) {
            for (Keyframes.Frame frame : Keyframes.take(tools, input.file(), input.sizeBytes(),
                    probe.path("duration_seconds").asDouble(0), settings.videoFrames(), settings.imageMaxSide())) {
                pictures.add(frame.jpeg());
                times.add(frame.atSeconds());
            }
        }
        boolean hasSound = input.mediaType() == MediaType.AUDIO
                || input.mediaType() == MediaType.VIDEO && probe.path("has_audio").asBoolean(false);
        Describer.Description description;
        try {
            description = describer.describe(new Describer.Request(input.mediaType().id(), facts(input), pictures,
                    times, hasSound));
        } catch (ApiException e) {
            return gaveUpOrThrow(e);
        }
        ObjectNode fields = description.fields();
        ObjectNode result = Json.object();
        result.put("style", fields.get("style").asText());
        result.put("summary", fields.get("summary").asText());
        result.set("tags_json", fields.get("tags"));
        result.set("mood_json", fields.get("mood"));
        result.set("scenes_json", fields.get("scenes"));
        result.set("audio_role", fields.get("audio_role"));
        result.put("model", settings.describe().model());
        result.put("pictures", pictures.size());
        result.set("picture_times", Json.MAPPER.valueToTree(times));
        result.set("reply", description.reply());
        return result;
    }

    /** What the index knows, one line each, for the model to read. */
    private static List<String> facts(AnalysisInput input) {
        JsonNode probe = input.probe();
        List<String> facts = new ArrayList<>();
        facts.add("File: " + input.relPath());
        if (input.jobId() != null) {
            facts.add("Job: " + input.jobId());
        }
        if (probe.has("duration_seconds")) {
            facts.add(String.format(Locale.ROOT, "Duration: %.1f s", probe.get("duration_seconds").asDouble()));
        }
        if (probe.has("width") && probe.has("height")) {
            facts.add("Size: " + probe.get("width").asInt() + "x" + probe.get("height").asInt() + " pixels");
        }
        probe.path("tags").properties().forEach(tag -> facts.add("Tag " + tag.getKey() + ": " + tag.getValue().asText()));
        String transcript = input.earlier().path(TranscribeAnalyzer.NAME).path("transcript").asText("");
        if (!transcript.isBlank()) {
            facts.add("Transcript" + (transcript.length() > TRANSCRIPT_CHARS ? " (start)" : "") + ": "
                    + transcript.substring(0, Math.min(transcript.length(), TRANSCRIPT_CHARS)));
        }
        return facts;
    }
}
