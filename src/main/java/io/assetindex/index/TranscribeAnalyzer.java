package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.ai.ApiException;
import io.assetindex.ai.Transcriber;
import io.assetindex.config.AiSettings;
import io.assetindex.media.AudioTrack;
import io.assetindex.media.MediaException;
import io.assetindex.media.MediaTools;
import io.assetindex.util.Json;
import java.io.IOException;
import java.util.EnumSet;
import java.util.List;

/**
 * The "transcribe" analyzer: what is said in an audio file or a video's sound, through a
 * speech model ({@link Transcriber}). The sound is sent as compact MP3, in parts that each stay
 * under {@code ai.transcribe.max_upload_mb}; the parts' texts are joined and their segments
 * shifted to the file's time. The language is the configured one, or detected. A video without
 * sound gets an empty result without any call.
 *
 * <p>The joined transcript and segments keep {@link Transcriber}'s caps for the whole file:
 * {@link Transcriber#MAX_TRANSCRIPT_CHARS} characters and {@link Transcriber#MAX_SEGMENTS}
 * segments; what a later part adds beyond them is dropped.
 *
 * <p>Deferred and optional like {@link DescribeAnalyzer}; its config hash covers the model and
 * the language.
 */
public final class TranscribeAnalyzer extends AiAnalyzer {
    public static final String NAME = "transcribe";

    private final MediaTools tools;
    private final Transcriber transcriber;
    private final AiSettings settings;

    public TranscribeAnalyzer(MediaTools tools, Transcriber transcriber, AiSettings settings) {
        super(settings(settings), EnumSet.of(MediaType.AUDIO, MediaType.VIDEO), settings.transcribe());
        this.tools = tools;
        this.transcriber = transcriber;
        this.settings = settings;
    }

    /** The settings its transcripts depend on: the model and the language (null: detected). */
    public static AnalyzerSettings settings(AiSettings settings) {
        return AnalyzerSettings.of(NAME, "1", "model", settings.transcribe().model(), "language", settings.language());
    }

    @Override
    ObjectNode read(AnalysisInput input) throws MediaException, IOException, InterruptedException, AnalysisException {
        JsonNode probe = input.probe();
        ObjectNode result = Json.object();
        result.put("model", settings.transcribe().model());
        if (input.mediaType() == MediaType.VIDEO && !probe.path("has_audio").asBoolean(false)) {
            result.putNull("transcript");
            result.put("no_sound", true);
            return result;
        }
        StringBuilder text = new StringBuilder();
        ArrayNode segments = Json.MAPPER.createArrayNode();
        ArrayNode replies = Json.MAPPER.createArrayNode();
        String language = settings.language();
        List<double[]> parts = AudioTrack.plan(probe.path("duration_seconds").asDouble(0), settings.maxUploadBytes());
        for (double[] part : parts) {
            AudioTrack.Part sound = AudioTrack.extract(tools, input.file(), input.sizeBytes(), part[0], part[1]);
            Transcriber.Transcript transcript;
            try {
                transcript = transcriber.transcribe(sound.mp3(), settings.language());
            } catch (ApiException e) {
                return gaveUpOrThrow(e);
            }
            replies.add(transcript.reply());
            if (language == null) {
                language = transcript.language();
            }
            String partText = transcript.text();
            int room = Transcriber.MAX_TRANSCRIPT_CHARS - text.length() - (text.length() == 0 ? 0 : 1);
            if (!partText.isEmpty() && room > 0) {
                int end = Math.min(room, partText.length());
                end -= end < partText.length() && Character.isHighSurrogate(partText.charAt(end - 1)) ? 1 : 0;
                text.append(text.length() == 0 ? "" : " ").append(partText, 0, end);
            }
            for (Transcriber.Segment segment : transcript.segments()) {
                if (segments.size() == Transcriber.MAX_SEGMENTS) {
                    break;
                }
                ObjectNode shifted = segments.addObject();
                shifted.put("start_seconds", part[0] + segment.startSeconds());
                shifted.put("end_seconds", part[0] + segment.endSeconds());
                shifted.put("text", segment.text());
            }
        }
        result.put("transcript", text.length() == 0 ? null : text.toString());
        result.put("language", language);
        result.put("parts", parts.size());
        result.set("segments", segments);
        result.set("replies", replies);
        return result;
    }
}
