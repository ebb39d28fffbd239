package io.assetindex.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A local server speaking the OpenAI chat-completions (with image input) and
 * audio-transcriptions APIs, standing in for a remote vision and speech model. Descriptions are
 * made from the words of the file name the request names ("File: holiday/beach_sunset.jpg" gives
 * tags beach and sunset); transcripts say which part of the upload they are. Tests script
 * failures: responses to send before answering normally, or one answer for everything. Tests
 * that need their own descriptions and transcripts per file give {@link Answers}.
 */
public final class FakeAiApi extends FakeApiServer {
    private static final Pattern FILE_LINE = Pattern.compile("File: (\\S+)");
    private static final Pattern WHOLE_FILE_LINE = Pattern.compile("(?m)^File: (.+)$");

    /**
     * Per-file answers in place of the ones made from the file name; a null answer falls back to
     * those.
     */
    public interface Answers {
        /**
         * The description's fields (style, summary, tags, mood, scenes, audio_role).
         *
         * @param file the file as the request names it: its path under its watch root
         */
        ObjectNode description(String file);

        /**
         * The verbose_json transcription (text, language, duration, segments). The upload is
         * the only clue to which file it is: MP3 at 32 kbit/s, about 4,000 bytes a second.
         */
        ObjectNode transcription(int uploadBytes);
    }

    private final Answers answers;

    /** Answers made from the file name, as described above. */
    public FakeAiApi() {
        this(null);
    }

    public FakeAiApi(Answers answers) {
        this.answers = answers;
    }

    /** What the server received: the path, the Authorization header, a chat body or a transcription's form fields. */
    public record Request(String path, String authorization, JsonNode chat, Map<String, String> form, int fileBytes) {
        public boolean isChat() {
            return path.endsWith("/chat/completions");
        }

        /** The text part of the last user message of a chat request. */
        public String userText() {
            JsonNode messages = chat.path("messages");
            for (int i = messages.size() - 1; i >= 0; i--) {
                JsonNode content = messages.get(i).path("content");
                if (messages.get(i).path("role").asText().equals("user") && content.isArray()) {
                    return content.get(0).path("text").asText();
                }
            }
            return "";
        }

        /** The data: URLs of the pictures sent. */
        public List<String> pictures() {
            List<String> urls = new ArrayList<>();
            chat.path("messages").forEach(message -> message.path("content").forEach(part -> {
                if (part.path("type").asText().equals("image_url")) {
                    urls.add(part.at("/image_url/url").asText());
                }
            }));
            return urls;
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> chats() {
        return requests.stream().filter(Request::isChat).toList();
    }

    public List<Request> transcriptions() {
        return requests.stream().filter(request -> !request.isChat()).toList();
    }

    /** A 200 chat completion whose message content is {@code content}. */
    public static MockResponse chatReply(String content) {
        ObjectNode answer = Json.object();
        answer.put("id", "chatcmpl-test").put("object", "chat.completion");
        ObjectNode choice = answer.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content);
        answer.putObject("usage").put("prompt_tokens", 100).put("completion_tokens", 20).put("total_tokens", 120);
        return new MockResponse(200, Headers.of("Content-Type", "application/json"), Json.write(answer));
    }

    @Override
    MockResponse record(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        byte[] bytes = request.getBody() == null ? new byte[0] : request.getBody().toByteArray();
        boolean chat = path.endsWith("/chat/completions");
        Map<String, String> form = chat ? Map.of() : formFields(bytes, request.getHeaders().get("Content-Type"));
        Request recorded = new Request(path, request.getHeaders().get("Authorization"),
                chat ? Json.read(new String(bytes, StandardCharsets.UTF_8)) : Json.object(), form,
                chat ? 0 : fileBytes(bytes));
        requests.add(recorded);
        if (path.equals("/v1/chat/completions")) {
            Matcher file = WHOLE_FILE_LINE.matcher(recorded.userText());
            ObjectNode answer = answers != null && file.find() ? answers.description(file.group(1)) : null;
            return chatReply(Json.write(answer != null ? answer : describe(recorded)));
        }
        if (path.equals("/v1/audio/transcriptions")) {
            ObjectNode answer = answers != null ? answers.transcription(recorded.fileBytes()) : null;
            return new MockResponse(200, Headers.of("Content-Type", "application/json"),
                    Json.write(answer != null ? answer : partTranscript(transcriptions().size())));
        }
        return status(404);
    }

    /** A transcript saying which upload it answers. */
    private static ObjectNode partTranscript(long part) {
        ObjectNode answer = Json.object();
        answer.put("text", " Hello from part " + part + ". ");
        answer.put("language", "english");
        answer.put("duration", 10.0);
        ArrayNode segments = answer.putArray("segments");
        segments.addObject().put("id", 0).put("start", 0.0).put("end", 1.5).put("text", " Hello from part " + part + ".");
        return answer;
    }

    /** A valid description made from the words of the file's name. */
    private static ObjectNode describe(Request request) {
        String text = request.userText();
        Matcher file = FILE_LINE.matcher(text);
        String name = file.find() ? file.group(1) : "unknown";
        String base = name.substring(name.lastIndexOf('/') + 1).replaceFirst("\\.[^.]*$", "");
        List<String> words = Arrays.stream(base.toLowerCase(Locale.ROOT).split("[^a-z0-9]+"))
                .filter(word -> !word.isEmpty()).toList();
        ObjectNode reply = Json.object();
        reply.put("style", text.contains("Describe this video") ? "test footage" : "test picture");
        // A file named with "markup" gets a summary holding HTML, as a model may write: pages show it as text.
        reply.put("summary", words.contains("markup") ? "<img src=x onerror=alert(2)><b>bold</b> markup"
                : "It shows " + String.join(" ", words) + ".");
        reply.set("tags", Json.MAPPER.valueToTree(words));
        reply.set("mood", Json.MAPPER.valueToTree(List.of("calm")));
        ArrayNode scenes = reply.putArray("scenes");
        if (text.contains("Describe this video")) {
            scenes.addObject().put("start_seconds", 0.0).put("description", "the " + String.join(" ", words));
            scenes.addObject().put("start_seconds", 2.0).put("description", "the end of it");
        }
        boolean sound = !text.contains("It has no sound");
        if (sound) {
            reply.put("audio_role", words.contains("music") ? "background_music" : "voice_over");
        } else {
            reply.putNull("audio_role");
        }
        return reply;
    }

    /** The text fields of a multipart/form-data body. */
    private static Map<String, String> formFields(byte[] body, String contentType) {
        Map<String, String> fields = new LinkedHashMap<>();
        if (contentType == null || !contentType.contains("boundary=")) {
            return fields;
        }
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String boundary = "--" + contentType.substring(contentType.indexOf("boundary=") + 9);
        for (String part : text.split(Pattern.quote(boundary))) {
            Matcher name = Pattern.compile("name=\"([^\"]+)\"(; filename=\"[^\"]*\")?").matcher(part);
            int start = part.indexOf("\r\n\r\n");
            if (name.find() && start >= 0 && name.group(2) == null) {
                fields.put(name.group(1), part.substring(start + 4).replaceFirst("\r\n$", ""));
            } else if (name.find(0) && name.group(2) != null) {
                fields.put("filename", name.group(2).replaceAll(".*filename=\"|\"$", ""));
            }
        }
        return fields;
    }

    /** The size of the uploaded file in a multipart body. */
    private static int fileBytes(byte[] body) {
        String text = new String(body, StandardCharsets.ISO_8859_1);
        int header = text.indexOf("filename=");
        if (header < 0) {
            return 0;
        }
        int start = text.indexOf("\r\n\r\n", header) + 4;
        int end = text.indexOf("\r\n--", start);
        return Math.max(0, end - start);
    }
}
