package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.testing.FakeAiApi;
import io.assetindex.testing.Ffmpeg;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import mockwebserver3.MockResponse;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AI enrichment through the commands, against a local server that speaks the OpenAI
 * chat-completions and audio-transcriptions APIs: what is sent, what is stored, what a failure
 * leaves, and that nothing is paid for twice.
 */
class AiEnrichmentTest {
    private static final String KEY_VARIABLE = "TEST_AI_KEY";
    private static final String KEY = "sk-test-very-secret-0042";

    @TempDir
    Path workspace;

    private final FakeAiApi api = new FakeAiApi();
    private InProcess cli;
    private Path database;

    @BeforeEach
    void setUp() throws IOException {
        cli = new InProcess(workspace);
        cli.env.put(KEY_VARIABLE, KEY);
        database = workspace.resolve(".asset_index/index.db");
        configure("");
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    /** AI on, with the fake API; {@code extra} adds keys under ai. */
    private void configure(String extra) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), """
                ai:
                  base_url: %s
                  api_key_env: %s
                  max_retries: 1
                  describe:
                    model: vision-test
                    image_max_side: 256
                    video_frames: 4
                  transcribe:
                    model: whisper-test
                %s""".formatted(api.baseUrl(), KEY_VARIABLE, extra.indent(2)));
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    private InProcess.Run scan() {
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        return scan;
    }

    private Map<String, Object> asset(String fileName) {
        List<Map<String, Object>> rows = SqliteFile.rows(database, "SELECT * FROM assets WHERE file_name = '"
                + fileName + "'");
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    @Test
    void everyAssetIsDescribedAndTranscribedAndASecondScanMakesNoCalls() throws IOException {
        TestMedia.jpeg(raw("holiday/beach_sunset_waves.jpg"), 1200, 800, 1);
        Ffmpeg.clip(raw("aerial/drone_over_the_coast.mp4"), 320, 240, 3.0, true, 2);
        TestMedia.wav(raw("music/piano_music_loop.wav"), 2.0, 3);

        InProcess.Run first = scan();

        assertThat(first.out()).contains("3 indexed").contains("AI: describe 3 calls, 360 tokens; transcribe 2 calls");
        assertThat(api.transcriptions()).hasSize(2);
        assertThat(api.chats()).hasSize(3);
        assertThat(api.requests()).allSatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer " + KEY));

        JsonNode imageRequest = api.chats().stream().filter(r -> r.userText().contains("beach")).findFirst()
                .orElseThrow().chat();
        assertThat(imageRequest.get("model").asText()).isEqualTo("vision-test");
        assertThat(imageRequest.at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(imageRequest.at("/response_format/json_schema/strict").asBoolean()).isTrue();
        assertThat(imageRequest.at("/response_format/json_schema/schema/required").toString())
                .contains("style", "summary", "tags", "mood", "scenes", "audio_role");
        FakeAiApi.Request image = api.chats().stream().filter(r -> r.userText().contains("beach")).findFirst().orElseThrow();
        assertThat(image.pictures()).hasSize(1);
        BufferedImage sent = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(
                image.pictures().get(0).substring("data:image/jpeg;base64,".length()))));
        assertThat(Math.max(sent.getWidth(), sent.getHeight())).as("downscaled").isEqualTo(256);
        assertThat(image.userText()).contains("File: holiday/beach_sunset_waves.jpg", "Size: 1200x800", "no sound");

        FakeAiApi.Request video = api.chats().stream().filter(r -> r.userText().contains("drone")).findFirst().orElseThrow();
        assertThat(video.pictures()).as("keyframes").hasSize(4);
        assertThat(video.userText()).contains("Duration: 3.0 s", "Frames at: ", "Transcript: Hello from part");

        FakeAiApi.Request transcription = api.transcriptions().get(0);
        assertThat(transcription.path()).isEqualTo("/v1/audio/transcriptions");
        assertThat(transcription.form()).containsEntry("model", "whisper-test")
                .containsEntry("response_format", "verbose_json").doesNotContainKey("language");
        assertThat(transcription.fileBytes()).isBetween(500, 40_000);

        Map<String, Object> beach = asset("beach_sunset_waves.jpg");
        assertThat(beach.get("style")).isEqualTo("test picture");
        assertThat(beach.get("summary")).isEqualTo("It shows beach sunset waves.");
        assertThat(Json.read((String) beach.get("tags_json"))).containsExactly(Json.read("\"beach\"").deepCopy(),
                Json.read("\"sunset\""), Json.read("\"waves\""));
        assertThat(beach.get("mood_json")).isEqualTo("[\"calm\"]");
        assertThat(beach.get("audio_role")).isNull();
        assertThat(beach.get("transcript")).isNull();
        assertThat((String) beach.get("embed_source")).contains("It shows beach sunset waves", "mood: calm");
        JsonNode raw = Json.read((String) beach.get("raw_json"));
        assertThat(raw.at("/describe/reply/choices/0/message/content").asText()).contains("It shows beach sunset waves");

        Map<String, Object> drone = asset("drone_over_the_coast.mp4");
        assertThat(drone.get("transcript")).asString().startsWith("Hello from part");
        assertThat(drone.get("audio_role")).isEqualTo("voice_over");
        assertThat(Json.read((String) drone.get("scenes_json")).get(0).get("description").asText())
                .isEqualTo("the drone over the coast");
        assertThat(asset("piano_music_loop.wav").get("audio_role")).isEqualTo("background_music");
        String show = cli.run("show", "raw_assets/aerial/drone_over_the_coast.mp4").out();
        assertThat(show).contains("summary", "It shows drone over the coast.", "vision-test: 4 pictures sent (",
                "whisper-test: 18 characters, language english, 1 part(s) (").doesNotContain("chatcmpl-test");
        assertThat(Json.read((String) asset("piano_music_loop.wav").get("raw_json")).at("/transcribe/language").asText())
                .isEqualTo("english");

        JsonNode search = cli.run("search", "sunset waves", "--json", "--limit", "1").json();
        assertThat(search.at("/results/0/summary").asText()).isEqualTo("It shows beach sunset waves.");
        assertThat(cli.run("search", "anything", "--tag", "coast", "--json").json().get("results")).hasSize(1);
        JsonNode music = cli.run("search", "anything", "--audio-role", "background_music", "--json").json();
        assertThat(music.get("results")).hasSize(1);
        assertThat(music.at("/results/0/paths/0").asText()).isEqualTo("raw_assets/music/piano_music_loop.wav");
        assertThat(music.at("/results/0/audio_role").asText()).isEqualTo("background_music");
        assertThat(music.at("/results/0/style").asText()).isEqualTo("test picture");
        assertThat(cli.run("search", "anything", "--audio-role", "singing").exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(cli.run("search", "sunset waves", "--limit", "1").out())
                .contains("raw_assets/holiday/beach_sunset_waves.jpg\n", "  It shows beach sunset waves.\n");

        int calls = api.requests().size();
        InProcess.Run second = scan();
        assertThat(second.out()).contains("3 unchanged").contains("AI: describe 0 calls; transcribe 0 calls");
        Files.copy(raw("holiday/beach_sunset_waves.jpg"), raw("holiday/copy_of_beach.jpg"));
        cli.run("scan", "--rehash");
        assertThat(api.requests()).as("copies and re-hashing call no model").hasSize(calls);

        assertNoKeyIn(workspace.resolve(".asset_index"));
    }

    private static void assertNoKeyIn(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(KEY);
            }
        }
    }

    @Test
    void aMalformedReplyIsAskedForOnceMoreThenFailsThatAnalyzerOnly() throws IOException {
        configure("transcribe:\n  model: null\n");
        TestMedia.jpeg(raw("first_try_fails.jpg"), 64, 48, 1);
        api.thenRespond(FakeAiApi.chatReply("Sure! Here is a nice description of the picture."));

        scan();

        assertThat(api.chats()).hasSize(2);
        JsonNode retry = api.chats().get(1).chat().get("messages");
        assertThat(retry.get(2).get("role").asText()).isEqualTo("assistant");
        assertThat(retry.get(3).get("content").asText()).contains("not valid: it is not a JSON object");
        assertThat(asset("first_try_fails.jpg").get("summary")).isEqualTo("It shows first try fails.");

        TestMedia.jpeg(raw("never_valid.jpg"), 64, 48, 2);
        api.thenRespond(FakeAiApi.chatReply("{\"style\": \"x\"}"), FakeAiApi.chatReply("{\"summary\": 42}"));
        InProcess.Run failing = scan();

        assertThat(failing.out()).contains("1 indexed").contains("1 failed");
        Map<String, Object> asset = asset("never_valid.jpg");
        assertThat(asset.get("summary")).isNull();
        assertThat(asset.get("embed_model")).as("the rest of the index works").isEqualTo("all-minilm-l6-v2-q");
        assertThat(Json.read((String) asset.get("raw_json")).has("thumbnail")).isTrue();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM analysis_cache WHERE analyzer = 'describe'"
                + " AND json_extract(result_json, '$.gave_up') IS NOT NULL")).as("recorded as given up").isEqualTo(1);
        assertThat(Files.readString(workspace.resolve(".asset_index/logs/scan.err.log")))
                .contains("[describe] raw_assets/never_valid.jpg: the describe model's reply was not valid twice"
                        + " (style is missing or not text)", "not asked again until 'asset-index requeue'");

        int before = api.chats().size();
        scan();
        assertThat(api.chats()).as("a model that answered unusably is not paid again by later passes").hasSize(before);
        InProcess.Run requeue = cli.run("requeue");
        assertThat(requeue.out()).contains("re-analysis: 1 assets re-analyzed");
        assertThat(api.chats()).hasSize(before + 1);
        assertThat(asset("never_valid.jpg").get("summary")).isEqualTo("It shows never valid.");
    }

    @Test
    void rateLimitsAreWaitedOutAndAnUnreachableApiLeavesAssetsToBeEnrichedLater() throws IOException {
        configure("max_concurrent_requests: 1\ntranscribe:\n  model: null\n");
        TestMedia.jpeg(raw("waited.jpg"), 64, 48, 1);
        api.thenRespond(FakeAiApi.status(429, "Retry-After", "1"));
        long start = System.nanoTime();
        scan();
        assertThat((System.nanoTime() - start) / 1_000_000).as("honoured Retry-After").isGreaterThanOrEqualTo(1000);
        assertThat(api.chats()).hasSize(2);
        assertThat(asset("waited.jpg").get("summary")).isNotNull();

        api.alwaysRespond(FakeAiApi.status(503));
        for (int i = 0; i < 5; i++) {
            TestMedia.jpeg(raw("while_down_" + i + ".jpg"), 64, 48, 10 + i);
        }
        InProcess.Run down = scan();
        assertThat(down.out()).contains("5 indexed");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets WHERE summary IS NULL")).isEqualTo(5);
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets_vec")).isEqualTo(6);
        // Retried once (max_retries 1), then the API is taken as down and the other files fail at once.
        assertThat(api.chats()).hasSize(4);
        String errLog = Files.readString(workspace.resolve(".asset_index/logs/scan.err.log"));
        assertThat(errLog.lines().filter(line -> line.contains("[describe] raw_assets/")))
                .as("logged once per problem").hasSize(1);
        assertThat(errLog).contains("[describe] re-analysis paused with 3 of 5 assets done");

        api.alwaysRespond(null);
        InProcess.Run back = scan();
        assertThat(back.out()).contains("5 assets re-analyzed");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets WHERE summary IS NULL")).isZero();
        assertThat(cli.run("search", "while down", "--json").json().at("/results/0/summary").asText())
                .startsWith("It shows while down");
    }

    @Test
    void aRefusedKeyAndASlowServerAreClearFailures() throws IOException {
        configure("timeout_seconds: 1\ntranscribe:\n  model: null\n");
        TestMedia.jpeg(raw("refused.jpg"), 64, 48, 1);
        api.thenRespond(FakeAiApi.status(401));
        scan();
        assertThat(Files.readString(workspace.resolve(".asset_index/logs/scan.err.log")))
                .contains("/v1/chat/completions refused the API key in " + KEY_VARIABLE + " (HTTP 401); check the key");
        assertThat(api.chats()).as("401 is not retried").hasSize(1);

        MockResponse slow = new MockResponse.Builder().code(200).headers(Headers.of("Content-Type", "application/json"))
                .body("{}").headersDelay(3, java.util.concurrent.TimeUnit.SECONDS).build();
        api.thenRespond(slow, slow);
        scan();
        assertThat(Files.readString(workspace.resolve(".asset_index/logs/scan.err.log")))
                .contains("describe request to " + api.baseUrl() + "/chat/completions failed: no answer within 1 s, 2 attempts");
    }

    @Test
    void changingThePromptDescribesAgainAndCallsNothingElse() throws IOException {
        TestMedia.wav(raw("voice_over_intro.wav"), 1.0, 1);
        TestMedia.jpeg(raw("logo.jpg"), 64, 48, 2);
        scan();
        assertThat(api.transcriptions()).hasSize(1);
        assertThat(api.chats()).hasSize(2);

        configure("describe:\n  model: vision-test\n  prompt: Describe it for a toddler, as JSON.\n");
        InProcess.Run again = scan();

        assertThat(again.out()).contains("2 assets re-analyzed");
        assertThat(api.transcriptions()).as("transcripts are cached").hasSize(1);
        assertThat(api.chats()).hasSize(4);
        assertThat(api.chats().get(3).chat().at("/messages/0/content").asText())
                .isEqualTo("Describe it for a toddler, as JSON.");
    }

    @Test
    void aLongRecordingIsSentInPartsUnderTheUploadLimit() throws IOException {
        configure("describe:\n  model: null\ntranscribe:\n  model: whisper-test\n  max_upload_mb: 0.05\n  language: en\n");
        TestMedia.wav(raw("long_interview.wav"), 30.0, 1);

        scan();

        // 0.05 MB at 4,000 bytes a second: parts of 11 s.
        assertThat(api.transcriptions()).hasSize(3);
        assertThat(api.transcriptions()).allSatisfy(request -> {
            assertThat(request.fileBytes()).isLessThanOrEqualTo(52_429);
            assertThat(request.form()).containsEntry("language", "en");
        });
        Map<String, Object> asset = asset("long_interview.wav");
        assertThat(asset.get("transcript")).isEqualTo("Hello from part 1. Hello from part 2. Hello from part 3.");
        JsonNode segments = Json.read((String) asset.get("raw_json")).at("/transcribe/segments");
        assertThat(segments).hasSize(3);
        assertThat(segments.get(1).get("start_seconds").asDouble()).isEqualTo(11.0);
        assertThat(segments.get(2).get("start_seconds").asDouble()).isEqualTo(22.0);
    }

    @Test
    void requeueTriesAgainWhatFailedAndCanRunOneAnalyzerForEveryAsset() throws IOException {
        configure("max_concurrent_requests: 1\ntranscribe:\n  model: null\n");
        TestMedia.jpeg(raw("first.jpg"), 64, 48, 1);
        TestMedia.jpeg(raw("second.jpg"), 64, 48, 2);
        TestMedia.randomBytes(raw("broken.jpg"), 2000, 3);
        api.alwaysRespond(FakeAiApi.status(503));
        scan();
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets WHERE summary IS NULL")).isEqualTo(2);

        api.alwaysRespond(null);
        Files.write(raw("broken.jpg"), TestMedia.jpegBytes(64, 48, 4));
        InProcess.Run requeue = cli.run("requeue");
        assertThat(requeue.exitCode()).as(requeue.err()).isZero();
        assertThat(requeue.out()).contains("requeue: 1 failed files: 1 indexed, 0 failed again, 0 gone",
                "re-analysis: 3 assets re-analyzed");
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM assets WHERE summary IS NOT NULL")).isEqualTo(3);

        int before = api.chats().size();
        InProcess.Run nothing = cli.run("requeue", "--analyzer", "describe", "--json");
        assertThat(nothing.json().at("/reanalysis/reanalyzed").asInt()).isZero();
        assertThat(api.chats()).hasSize(before);

        InProcess.Run everyAsset = cli.run("requeue", "--analyzer", "describe", "--all");
        assertThat(everyAsset.out()).contains("describe: 3 assets re-analyzed", "AI: describe 3 calls");
        assertThat(api.chats()).hasSize(before + 3);

        InProcess.Run unknown = cli.run("requeue", "--analyzer", "colour");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("no analyzer 'colour'", "probe, integrity, thumbnail, describe, embed");
    }

    @Test
    void anUploadTheServerFindsTooLargeSaysWhichSettingToLowerAndIsNotRetriedAutomatically() throws IOException {
        configure("describe:\n  model: null\n");
        TestMedia.wav(raw("speech.wav"), 1.0, 1);
        api.thenRespond(FakeAiApi.status(413));
        InProcess.Run scan = scan();
        assertThat(scan.out()).contains("1 failed");
        assertThat(Files.readString(workspace.resolve(".asset_index/logs/scan.err.log")))
                .contains("/v1/audio/transcriptions answered 413: the request is larger than it accepts;"
                        + " lower ai.transcribe.max_upload_mb", "not asked again until 'asset-index requeue'");
        scan();
        assertThat(api.transcriptions()).hasSize(1);
    }

    @Test
    void aBaseUrlCarryingCredentialsStopsTheCommandWithExitTwoAndIsShownMasked() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "ai:\n  base_url: http://scott:tiger-secret@"
                + api.baseUrl().substring("http://".length()) + "\n  describe:\n    model: vision-test\n");
        TestMedia.jpeg(raw("never_sent.jpg"), 64, 48, 1);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(scan.err().lines()).singleElement().asString()
                .startsWith("asset-index: bad config value ai.base_url: \"http://***@localhost:")
                .endsWith("give the API key through the environment variable named by ai.api_key_env")
                .doesNotContain("tiger", "scott");
        assertThat(workspace.resolve(".asset_index")).doesNotExist();
        InProcess.Run doctor = cli.run("doctor");
        assertThat(doctor.out()).contains("bad config value ai.base_url: \"http://***@localhost:")
                .doesNotContain("tiger", "scott");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void apiRetriesReachTheErrorLogOncePerProblem() throws IOException {
        configure("max_concurrent_requests: 1\ntranscribe:\n  model: null\n");
        MockResponse described = FakeAiApi.chatReply("{\"style\": \"s\", \"summary\": \"a picture\", \"tags\": [],"
                + " \"mood\": [], \"scenes\": [], \"audio_role\": null}");
        for (int i = 0; i < 4; i++) {
            TestMedia.jpeg(raw("rate_limited_" + i + ".jpg"), 64, 48, i);
            api.thenRespond(FakeAiApi.status(429, "Retry-After", "0"), described);
        }
        scan();
        assertThat(api.chats()).hasSize(8);
        String retry = "[ai.describe] describe request to " + api.baseUrl() + " (model vision-test): HTTP 429; retry 1 of 1 in 0 s";
        String errLog = Files.readString(workspace.resolve(".asset_index/logs/scan.err.log"));
        assertThat(errLog.lines().filter(line -> line.contains(retry))).as(errLog).hasSize(1);
        assertThat(Files.readString(workspace.resolve(".asset_index/logs/scan.out.log")))
                .contains("[ai.describe] describe request to " + api.baseUrl() + " (model vision-test) answered again");
        assertNoKeyIn(workspace.resolve(".asset_index"));
    }

    @Test
    void aHugeDescriptionIsCutToItsCapsAndItsRawReplyIsNotKeptWhole() throws IOException {
        configure("transcribe:\n  model: null\n");
        TestMedia.jpeg(raw("verbose.jpg"), 64, 48, 1);
        ObjectNode reply = Json.object();
        reply.put("style", "glitchy\u0007\u001b[31m ".repeat(20_000));
        reply.put("summary", "word ".repeat(200_000));
        ArrayNode tags = reply.putArray("tags");
        for (int i = 0; i < 1000; i++) {
            tags.add("Tag" + i + " " + "y".repeat(2000));
        }
        ArrayNode mood = reply.putArray("mood");
        for (int i = 0; i < 1000; i++) {
            mood.add(i % 2 == 0 ? "calm" : " CALM\n");
        }
        ArrayNode scenes = reply.putArray("scenes");
        for (int i = 0; i < 1000; i++) {
            scenes.addObject().put("start_seconds", i).put("description", "d".repeat(1000));
        }
        reply.putNull("audio_role");
        api.thenRespond(FakeAiApi.chatReply(Json.write(reply)));

        scan();

        Map<String, Object> asset = asset("verbose.jpg");
        JsonNode storedTags = Json.read((String) asset.get("tags_json"));
        assertThat(storedTags).hasSize(32);
        assertThat(storedTags.get(0).asText()).isEqualTo("tag0 " + "y".repeat(59));
        assertThat(Json.read((String) asset.get("mood_json"))).containsExactly(Json.read("\"calm\""));
        assertThat((String) asset.get("style")).hasSize(200).startsWith("glitchy [31m glitchy").endsWith("…")
                .doesNotContain("\u0007", "\u001b");
        assertThat((String) asset.get("summary")).hasSizeLessThanOrEqualTo(2000);
        JsonNode storedScenes = Json.read((String) asset.get("scenes_json"));
        assertThat(storedScenes).hasSize(200);
        assertThat(storedScenes.get(199).get("description").asText()).hasSize(500);
        JsonNode raw = Json.read((String) asset.get("raw_json"));
        assertThat(raw.at("/describe/reply/omitted_bytes").asLong()).isGreaterThan(4_000_000);
        assertThat(raw.at("/describe/reply/start").asText()).hasSize(2000).startsWith("{\"id\":\"chatcmpl-test\"");
        assertThat(((String) asset.get("raw_json")).length()).isLessThan(200_000);
        assertThat(SqliteFile.count(database, "SELECT max(length(result_json)) FROM analysis_cache")).isLessThan(200_000);
    }

    @Test
    void aChatReplyLargerThanItsCapIsNotReadAndNotPaidForAgain() throws IOException {
        configure("transcribe:\n  model: null\n");
        TestMedia.jpeg(raw("flooded.jpg"), 64, 48, 1);
        api.thenRespond(new MockResponse(200, Headers.of("Content-Type", "application/json"),
                "{\"pad\": \"" + "x".repeat(9 << 20) + "\"}"));
        scan();
        assertThat(Files.readString(workspace.resolve(".asset_index/logs/scan.err.log")))
                .contains("[describe] raw_assets/flooded.jpg: " + api.baseUrl() + "/chat/completions answered more than"
                        + " 8.0 MiB, far more than any valid answer to this describe request; it was not read further.",
                        "not asked again until 'asset-index requeue'");
        assertThat(asset("flooded.jpg").get("summary")).isNull();
        scan();
        assertThat(api.chats()).hasSize(1);
    }

    @Test
    void aHugeTranscriptIsCutToItsCaps() throws IOException {
        configure("describe:\n  model: null\n");
        TestMedia.wav(raw("endless.wav"), 1.0, 1);
        ObjectNode reply = Json.object();
        reply.put("text", "la ".repeat(1_000_000));
        reply.put("language", "lalala".repeat(100));
        ArrayNode segments = reply.putArray("segments");
        for (int i = 0; i < 25_000; i++) {
            segments.addObject().put("start", i).put("end", i + 1).put("text", "la la");
        }
        api.thenRespond(new MockResponse(200, Headers.of("Content-Type", "application/json"), Json.write(reply)));

        scan();

        Map<String, Object> asset = asset("endless.wav");
        assertThat((String) asset.get("transcript")).hasSize(2_000_000).startsWith("la la").endsWith("…");
        JsonNode raw = Json.read((String) asset.get("raw_json")).get("transcribe");
        assertThat(raw.get("segments")).hasSize(20_000);
        assertThat(raw.get("language").asText()).hasSize(32);
        assertThat(raw.at("/replies/0/omitted_bytes").asLong()).isGreaterThan(3_000_000);
    }
}
