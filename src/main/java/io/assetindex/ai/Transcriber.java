package io.assetindex.ai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Sends one part of a recording to an OpenAI-compatible {@code POST <base_url>/audio/transcriptions}
 * (Whisper) and returns its text, language and timed segments. Asks for {@code verbose_json};
 * a server that answers plain {@code json} (text only) is accepted too.
 *
 * <p>What comes back is cut to what a transcript can hold ({@link ModelOutput}): a text of at
 * most {@value #MAX_TRANSCRIPT_CHARS} characters (90 minutes of speech are about 100,000), at
 * most {@value #MAX_SEGMENTS} segments of {@value #SEGMENT_CHARS} characters, and the raw reply
 * kept for audit is capped. A reply larger than {@value #MAX_REPLY_BYTES} bytes is not read.
 */
public final class Transcriber {
    /** The verbose_json of a part of hours of speech is a few MB. */
    static final long MAX_REPLY_BYTES = 16L * 1024 * 1024;
    /** The longest transcript kept, of a part or of a whole file. */
    public static final int MAX_TRANSCRIPT_CHARS = 2_000_000;
    /** The most timed segments kept, of a part or of a whole file. */
    public static final int MAX_SEGMENTS = 20_000;
    static final int SEGMENT_CHARS = 1_000;
    private static final int LANGUAGE_CHARS = 32;

    /** A timed piece of a transcript, in seconds from the start of the part sent. */
    public record Segment(double startSeconds, double endSeconds, String text) {}

    /**
     * A part's transcript.
     *
     * @param language as the API reports it (e.g. "english"), or null
     * @param reply    the API's reply, for audit (up to {@link ModelOutput#AUDIT_REPLY_BYTES})
     */
    public record Transcript(String text, String language, List<Segment> segments, JsonNode reply) {}

    private final OpenAiClient client;

    public Transcriber(OpenAiClient client) {
        this.client = client;
    }

    /**
     * @param mp3      the part's sound
     * @param language the spoken language (ISO 639-1), or null to have it detected
     */
    public Transcript transcribe(byte[] mp3, String language) throws ApiException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", client.endpoint().model());
        fields.put("response_format", "verbose_json");
        fields.put("temperature", "0");
        if (language != null) {
            fields.put("language", language);
        }
        JsonNode reply = client.postForJson("/audio/transcriptions", multipart(fields, "audio.mp3", "audio/mpeg", mp3),
                MAX_REPLY_BYTES);
        if (!reply.path("text").isTextual()) {
            client.usage().failed();
            throw new ApiException("the transcription API answered without a text: " + OpenAiClient.brief(reply.toString()),
                    true);
        }
        List<Segment> segments = new ArrayList<>();
        for (JsonNode segment : reply.path("segments")) {
            if (segments.size() == MAX_SEGMENTS) {
                break;
            }
            segments.add(new Segment(seconds(segment.path("start")), seconds(segment.path("end")),
                    ModelOutput.line(segment.path("text").asText(""), SEGMENT_CHARS)));
        }
        String detected = ModelOutput.line(reply.path("language").asText(""), LANGUAGE_CHARS);
        return new Transcript(ModelOutput.line(reply.get("text").asText(), MAX_TRANSCRIPT_CHARS),
                detected.isEmpty() ? null : detected, List.copyOf(segments), ModelOutput.forAudit(reply));
    }

    /** A time the API gave, or 0 when it gave none that is a time. */
    private static double seconds(JsonNode value) {
        double seconds = value.asDouble(0);
        return value.isNumber() && Double.isFinite(seconds) && seconds >= 0 ? seconds : 0;
    }

    /** A multipart/form-data body: the fields, then the file. */
    static OpenAiClient.Body multipart(Map<String, String> fields, String fileName, String fileType, byte[] file) {
        String boundary = "asset-index-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream(file.length + 1024);
        fields.forEach((name, value) -> write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\""
                + name + "\"\r\n\r\n" + value + "\r\n"));
        write(body, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: " + fileType + "\r\n\r\n");
        body.writeBytes(file);
        write(body, "\r\n--" + boundary + "--\r\n");
        return new OpenAiClient.Body("multipart/form-data; boundary=" + boundary, body.toByteArray());
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
    }
}
