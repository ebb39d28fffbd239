package io.assetindex.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.util.Json;
import java.io.IOException;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Asks a vision model, through {@code POST <base_url>/chat/completions}, for a description of
 * one asset as strict JSON: style, summary, tags, mood, scenes and, for sound, its role.
 *
 * <p>The request carries the pictures (a downscaled image, or a video's frames with their
 * times), the facts the index has (name, duration, size, tags, the start of a transcript) and a
 * JSON schema the reply must follow. The reply is validated; one that does not parse or does
 * not follow the schema is asked for once more, with what was wrong, and then is a failure.
 *
 * <p>A valid reply is still cut to what a description can hold ({@link ModelOutput}): at most
 * {@value #MAX_TAGS} distinct tags and {@value #MAX_MOOD_WORDS} mood words of at most
 * {@value #WORD_CHARS} characters each, a style of {@value #STYLE_CHARS} and a summary of
 * {@value #SUMMARY_CHARS} characters, {@value #MAX_SCENES} scenes of {@value #SCENE_CHARS}
 * characters; the raw reply kept for audit is capped too. A reply larger than
 * {@value #MAX_REPLY_BYTES} bytes is not read at all.
 */
public final class Describer {
    /** What a sound is for, in an edit. */
    public static final Set<String> AUDIO_ROLES = Set.of("voice_over", "background_music", "sound_effect");
    /** A description is a few KiB; a chat completion this large is not one. */
    static final long MAX_REPLY_BYTES = 8L * 1024 * 1024;
    static final int MAX_TAGS = 32;
    static final int MAX_MOOD_WORDS = 8;
    static final int WORD_CHARS = 64;
    static final int STYLE_CHARS = 200;
    static final int SUMMARY_CHARS = 2_000;
    static final int MAX_SCENES = 200;
    static final int SCENE_CHARS = 500;
    /** How much of an invalid reply is shown back to the model when asking again. */
    private static final int ECHOED_REPLY_CHARS = 8_000;

    static final String DEFAULT_PROMPT = """
            You describe media files for the searchable archive of a video production team. \
            Look at the pictures (for a video: frames in time order, at the times given) and read the facts given. \
            Reply with one JSON object and nothing else, with these keys: \
            "style": a few words on the look or genre (e.g. "aerial drone footage", "studio product shot", \
            "handheld interview", "screen recording", "scanned document", "ambient field recording"); \
            "summary": one or two plain sentences on what is shown or heard; \
            "tags": 5 to 15 lowercase keywords (subjects, objects, places, actions, colours); \
            "mood": 1 to 4 lowercase words; \
            "scenes": for a video, its scenes in time order as objects {"start_seconds": number, "description": text}, \
            otherwise an empty list; \
            "audio_role": for audio, or a video with sound, one of "voice_over", "background_music", "sound_effect"; \
            otherwise null.""";

    /**
     * What to describe.
     *
     * @param mediaType    image, video or audio
     * @param facts        what the index knows, one line each (name, duration, size, tags, transcript ...)
     * @param pictures     JPEGs to show, in order (none for audio)
     * @param pictureTimes for a video, each picture's time in seconds; otherwise empty
     * @param hasSound     whether there is sound to give a role
     */
    public record Request(String mediaType, List<String> facts, List<byte[]> pictures, List<Double> pictureTimes,
            boolean hasSound) {}

    /**
     * A validated description.
     *
     * @param fields style, summary, tags, mood, scenes, audio_role
     * @param reply  the provider's last reply, for audit (up to {@link ModelOutput#AUDIT_REPLY_BYTES})
     */
    public record Description(ObjectNode fields, JsonNode reply) {}

    private final OpenAiClient client;
    private final String prompt;

    /** @param prompt the instructions, or null for the built-in ones */
    public Describer(OpenAiClient client, String prompt) {
        this.client = client;
        this.prompt = prompt == null ? DEFAULT_PROMPT : prompt;
    }

    public static String defaultPrompt() {
        return DEFAULT_PROMPT;
    }

    public Description describe(Request request) throws ApiException {
        ArrayNode messages = Json.MAPPER.createArrayNode();
        messages.addObject().put("role", "system").put("content", prompt);
        messages.addObject().put("role", "user").set("content", userContent(request));
        JsonNode reply = client.postJson("/chat/completions", body(messages), MAX_REPLY_BYTES);
        String content = reply.at("/choices/0/message/content").asText("");
        try {
            return new Description(validate(content, request), ModelOutput.forAudit(reply));
        } catch (InvalidReply first) {
            client.usage().failed();
            // Sent back so the model sees its mistake; a huge reply is not paid for twice.
            messages.addObject().put("role", "assistant").put("content", content.length() <= ECHOED_REPLY_CHARS
                    ? content : content.substring(0, ECHOED_REPLY_CHARS) + " [cut]");
            messages.addObject().put("role", "user").put("content", "That reply was not valid: " + first.getMessage()
                    + ". Reply again with only the JSON object, following the schema.");
            JsonNode again = client.postJson("/chat/completions", body(messages), MAX_REPLY_BYTES);
            try {
                return new Description(validate(again.at("/choices/0/message/content").asText(""), request),
                        ModelOutput.forAudit(again));
            } catch (InvalidReply second) {
                client.usage().failed();
                throw new ApiException("the describe model's reply was not valid twice (" + second.getMessage()
                        + "): " + OpenAiClient.brief(again.at("/choices/0/message/content").asText("")), true);
            }
        }
    }

    private ObjectNode body(ArrayNode messages) {
        ObjectNode body = Json.object();
        body.put("model", client.endpoint().model());
        body.set("messages", messages);
        body.put("temperature", 0.2);
        ObjectNode format = body.putObject("response_format");
        format.put("type", "json_schema");
        ObjectNode schema = format.putObject("json_schema");
        schema.put("name", "asset_description");
        schema.put("strict", true);
        schema.set("schema", schema());
        return body;
    }

    private static ArrayNode userContent(Request request) {
        ArrayNode content = Json.MAPPER.createArrayNode();
        StringBuilder text = new StringBuilder("Describe this " + request.mediaType() + ".\n");
        request.facts().forEach(fact -> text.append(fact).append('\n'));
        if (!request.pictureTimes().isEmpty()) {
            text.append("Frames at: ");
            request.pictureTimes().forEach(t -> text.append(String.format(Locale.ROOT, "%.1f s, ", t)));
            text.setLength(text.length() - 2);
            text.append('\n');
        }
        if (!request.hasSound()) {
            text.append("It has no sound: audio_role is null.\n");
        }
        content.addObject().put("type", "text").put("text", text.toString().strip());
        for (byte[] jpeg : request.pictures()) {
            ObjectNode image = content.addObject().put("type", "image_url").putObject("image_url");
            image.put("url", "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(jpeg));
            image.put("detail", "low");
        }
        return content;
    }

    /** The JSON schema of a reply (strict mode: every key required, nothing else allowed). */
    static ObjectNode schema() {
        ObjectNode schema = Json.object();
        schema.put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        properties.putObject("style").put("type", "string");
        properties.putObject("summary").put("type", "string");
        stringArray(properties.putObject("tags"));
        stringArray(properties.putObject("mood"));
        ObjectNode scene = properties.putObject("scenes").put("type", "array").putObject("items");
        scene.put("type", "object");
        scene.putObject("properties").<ObjectNode>set("start_seconds", Json.object().put("type", "number"))
                .set("description", Json.object().put("type", "string"));
        scene.set("required", Json.MAPPER.valueToTree(List.of("start_seconds", "description")));
        scene.put("additionalProperties", false);
        ObjectNode role = properties.putObject("audio_role");
        role.set("type", Json.MAPPER.valueToTree(List.of("string", "null")));
        role.set("enum", Json.MAPPER.valueToTree(java.util.Arrays.asList("voice_over", "background_music",
                "sound_effect", null)));
        schema.set("required", Json.MAPPER.valueToTree(List.of("style", "summary", "tags", "mood", "scenes",
                "audio_role")));
        schema.put("additionalProperties", false);
        return schema;
    }

    private static void stringArray(ObjectNode node) {
        node.put("type", "array");
        node.putObject("items").put("type", "string");
    }

    /** Why a reply cannot be used. */
    private static final class InvalidReply extends Exception {
        private static final long serialVersionUID = 1L;

        InvalidReply(String message) {
            super(message, null, false, false);
        }
    }

    /** The reply's fields, cleaned, or why it cannot be used. */
    static ObjectNode validate(String content, Request request) throws InvalidReply {
        JsonNode reply;
        try {
            reply = Json.MAPPER.readTree(content.strip().replaceFirst("^```(?:json)?\\s*", "").replaceFirst("\\s*```$", ""));
        } catch (IOException e) {
            reply = null;
        }
        if (reply == null || !reply.isObject()) {
            throw new InvalidReply("it is not a JSON object");
        }
        ObjectNode fields = Json.object();
        fields.put("style", requiredText(reply, "style", STYLE_CHARS));
        fields.put("summary", requiredText(reply, "summary", SUMMARY_CHARS));
        fields.set("tags", words(reply, "tags", MAX_TAGS));
        fields.set("mood", words(reply, "mood", MAX_MOOD_WORDS));
        fields.set("scenes", scenes(reply.path("scenes")));
        String role = reply.path("audio_role").isTextual()
                ? ModelOutput.word(reply.get("audio_role").asText(), WORD_CHARS).replace(' ', '_').replace('-', '_')
                : null;
        if (role != null && !AUDIO_ROLES.contains(role)) {
            throw new InvalidReply("audio_role '" + role + "' is not one of voice_over, background_music, sound_effect");
        }
        if (role == null && request.mediaType().equals("audio")) {
            throw new InvalidReply("audio_role is missing for audio");
        }
        fields.put("audio_role", request.hasSound() ? role : null);
        return fields;
    }

    private static String requiredText(JsonNode reply, String key, int maxChars) throws InvalidReply {
        JsonNode value = reply.path(key);
        String text = value.isTextual() ? ModelOutput.line(value.asText(), maxChars) : "";
        if (text.isEmpty()) {
            throw new InvalidReply(key + " is missing or not text");
        }
        return text;
    }

    /** The first {@code max} distinct words of a list. */
    private static ArrayNode words(JsonNode reply, String key, int max) throws InvalidReply {
        JsonNode value = reply.path(key);
        if (!value.isArray()) {
            throw new InvalidReply(key + " is not a list");
        }
        Set<String> words = new LinkedHashSet<>();
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidReply(key + " holds something that is not text");
            }
            String word = ModelOutput.word(item.asText(), WORD_CHARS);
            if (!word.isEmpty() && words.size() < max) {
                words.add(word);
            }
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        words.forEach(out::add);
        return out;
    }

    private static ArrayNode scenes(JsonNode value) throws InvalidReply {
        if (value.isMissingNode() || value.isNull()) {
            return Json.MAPPER.createArrayNode();
        }
        if (!value.isArray()) {
            throw new InvalidReply("scenes is not a list");
        }
        ArrayNode out = Json.MAPPER.createArrayNode();
        for (JsonNode item : value) {
            if (!item.isTextual() && !(item.isObject() && item.path("description").isTextual())) {
                throw new InvalidReply("a scene has no description");
            }
            if (out.size() == MAX_SCENES) {
                continue;
            }
            ObjectNode scene = out.addObject();
            JsonNode start = item.path("start_seconds");
            if (start.isNumber() && Double.isFinite(start.asDouble()) && start.asDouble() >= 0) {
                scene.put("start_seconds", start.asDouble());
            } else {
                scene.putNull("start_seconds");
            }
            scene.put("description", ModelOutput.line((item.isTextual() ? item : item.get("description")).asText(),
                    SCENE_CHARS));
        }
        return out;
    }
}
