package io.assetindex.ai;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Sends one part of a recording to an OpenAI-compatible {@code POST <base_url>/audio/transcriptions}
 * (Whisper) and returns its text, language and timed segments. Asks for {@code verbose_json};
 * a server that answers plain {@code json} (text only) is accepted too.
 */
public final class Transcriber {
    private final OpenAiClient client;

    public Transcriber(OpenAiClient client) {
        this.client = client;
    }

    /**
     * @param mp3      the part's sound
     * @param language the spoken language (ISO 639-1), or null to have it detected
     * @return the reply, with at least a textual {@code text}
     */
    public JsonNode transcribe(byte[] mp3, String language) throws ApiException {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("model", client.endpoint().model());
        fields.put("response_format", "verbose_json");
        fields.put("temperature", "0");
        if (language != null) {
            fields.put("language", language);
        }
        JsonNode reply = client.postForJson("/audio/transcriptions", multipart(fields, "audio.mp3", "audio/mpeg", mp3));
        if (!reply.path("text").isTextual()) {
            client.usage().failed();
            throw new ApiException("the transcription API answered without a text: " + OpenAiClient.brief(reply.toString()),
                    true);
        }
        return reply;
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
