package io.assetindex.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.ai.OpenAiClient;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.testing.FakeEmbeddingsApi;
import io.assetindex.testing.LogCapture;
import io.assetindex.testing.TestClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import okhttp3.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The remote embedder against a local server speaking the OpenAI embeddings API. */
class OpenAiEmbedderTest {
    private static final String KEY_VARIABLE = "TEST_EMBEDDING_KEY";

    private final FakeEmbeddingsApi api = new FakeEmbeddingsApi(8);
    private final List<Duration> sleeps = new ArrayList<>();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-21T10:00:00Z"));
    private Map<String, String> environment = Map.of(KEY_VARIABLE, "sk-test-123");

    @AfterEach
    void tearDown() {
        api.close();
    }

    private EmbeddingSettings settings(int batchSize, Integer dimensions) {
        return new EmbeddingSettings(EmbeddingSettings.OPENAI, "text-embedding-3-small", URI.create(api.baseUrl()),
                KEY_VARIABLE, dimensions, batchSize, 10, 5);
    }

    private OpenAiEmbedder embedder(int batchSize, int timeoutSeconds, int maxRetries, Integer dimensions) {
        EmbeddingSettings settings = new EmbeddingSettings(EmbeddingSettings.OPENAI, "text-embedding-3-small",
                URI.create(api.baseUrl()), KEY_VARIABLE, dimensions, batchSize, timeoutSeconds, maxRetries);
        return new OpenAiEmbedder(settings, environment::get, HttpClient.newHttpClient(), sleeps::add, clock);
    }

    private OpenAiEmbedder embedder() {
        return embedder(64, 10, 5, null);
    }

    @Test
    void embedsInBatchesAndPlacesVectorsByIndex() throws Exception {
        List<String> texts = List.of("beach at sunset", "invoice scan", "drone shot over the coast", "piano", "rain");
        List<float[]> vectors = embedder(2, 10, 5, null).embed(texts);

        assertThat(api.requests()).hasSize(3);
        assertThat(api.requests().get(0).inputs()).containsExactly("beach at sunset", "invoice scan");
        assertThat(api.requests().get(2).inputs()).containsExactly("rain");
        for (int i = 0; i < texts.size(); i++) {
            assertThat(vectors.get(i)).containsExactly(api.vectorOf(texts.get(i), 8));
        }
        FakeEmbeddingsApi.Request first = api.requests().get(0);
        assertThat(first.authorization()).isEqualTo("Bearer sk-test-123");
        assertThat(first.body().get("model").asText()).isEqualTo("text-embedding-3-small");
        assertThat(first.body().has("dimensions")).isFalse();
    }

    @Test
    void asksForTheConfiguredDimensions() throws Exception {
        float[] vector = embedder(64, 10, 5, 16).embed("beach");
        assertThat(vector).hasSize(16);
        assertThat(api.requests().get(0).body().get("dimensions").asInt()).isEqualTo(16);
    }

    @Test
    void waitsAsLongAsRetryAfterSaysOnA429() throws Exception {
        api.thenRespond(FakeEmbeddingsApi.status(429, "Retry-After", "7"));
        float[] vector = embedder().embed("beach");
        assertThat(vector).containsExactly(api.vectorOf("beach", 8));
        assertThat(api.requests()).hasSize(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
    }

    @Test
    void backsOffExponentiallyOnServerErrors() throws Exception {
        api.thenRespond(FakeEmbeddingsApi.status(503), FakeEmbeddingsApi.status(502), FakeEmbeddingsApi.status(500));
        embedder().embed("beach");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    }

    @Test
    void aRetryAfterBeyondAMinuteIsCapped() throws Exception {
        api.thenRespond(FakeEmbeddingsApi.status(429, "Retry-After", "3600"));
        embedder().embed("beach");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(60));
    }

    @Test
    void a401FailsAtOnceNamingTheVariableNotTheKey() {
        api.thenRespond(FakeEmbeddingsApi.status(401));
        assertThatThrownBy(() -> embedder().embed("beach"))
                .isInstanceOf(EmbeddingException.class)
                .hasMessageContaining("refused the API key in " + KEY_VARIABLE + " (HTTP 401); check the key")
                .message().doesNotContain("sk-test-123");
        assertThat(api.requests()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void a404NamesTheUrlAndModelToCheck() {
        api.thenRespond(FakeEmbeddingsApi.status(404));
        assertThatThrownBy(() -> embedder().embed("beach"))
                .hasMessageContaining(api.baseUrl() + "/embeddings answered 404")
                .hasMessageContaining("check embedding.base_url and that model 'text-embedding-3-small' exists there");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void otherClientErrorsFailAtOnceWithWhatTheServerSaid() {
        api.refuseTextsWith("forbidden");
        assertThatThrownBy(() -> embedder().embed("a forbidden text"))
                .hasMessageContaining("answered HTTP 400").hasMessageContaining("status 400")
                .hasMessageContaining("check that model 'text-embedding-3-small' at embedding.base_url takes this kind of request");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void anUnsetKeyVariableIsNamedAndNothingIsSent() {
        environment = Map.of();
        assertThatThrownBy(() -> embedder().embed("beach"))
                .hasMessage("environment variable " + KEY_VARIABLE
                        + " (embedding.api_key_env) is not set; export the API key in it");
        assertThat(api.requests()).isEmpty();
    }

    @Test
    void afterUsingUpItsRetriesItFailsFastForAMinute() throws Exception {
        api.alwaysRespond(FakeEmbeddingsApi.status(503));
        OpenAiEmbedder embedder = embedder(64, 10, 2, null);
        assertThatThrownBy(() -> embedder.embed("beach"))
                .hasMessageContaining("failed: HTTP 503, 3 attempts");
        assertThat(api.requests()).hasSize(3);

        assertThatThrownBy(() -> embedder.embed("coast"))
                .hasMessageContaining("failed: HTTP 503, 3 attempts; not asking again before");
        assertThat(api.requests()).hasSize(3);

        api.alwaysRespond(null);
        clock.advance(OpenAiClient.PAUSE_AFTER_OUTAGE.plusSeconds(1));
        assertThat(embedder.embed("coast")).containsExactly(api.vectorOf("coast", 8));
        assertThat(api.requests()).hasSize(4);
    }

    @Test
    void aSlowServerIsATimeoutThatIsRetried() {
        MockResponse slow = new MockResponse(200, Headers.of(), "{}").newBuilder()
                .headersDelay(3, TimeUnit.SECONDS).build();
        api.alwaysRespond(slow);
        assertThatThrownBy(() -> embedder(64, 1, 1, null).embed("beach"))
                .hasMessageContaining("no answer within 1 s, 2 attempts");
    }

    @Test
    void anAnswerWithTheWrongNumberOfVectorsIsAnError() {
        api.thenRespond(new MockResponse(200, Headers.of(), "{\"data\": []}"));
        assertThatThrownBy(() -> embedder().embed("beach"))
                .hasMessage("the embeddings API answered 0 vectors for 1 texts");
    }

    @Test
    void anAnswerThatIsNotJsonIsAnError() {
        api.thenRespond(new MockResponse(200, Headers.of(), "<html>proxy error</html>"));
        assertThatThrownBy(() -> embedder().embed("beach"))
                .hasMessageContaining("answered something that is not JSON: <html>proxy error</html>");
    }

    @Test
    void retryAfterIsSecondsOrAnHttpDate() {
        assertThat(OpenAiClient.retryAfter(Optional.of("12"))).contains(Duration.ofSeconds(12));
        assertThat(OpenAiClient.retryAfter(Optional.of("soon"))).isEmpty();
        assertThat(OpenAiClient.retryAfter(Optional.empty())).isEmpty();
        String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusMinutes(2));
        assertThat(OpenAiClient.retryAfter(Optional.of(inTwoMinutes)).orElseThrow())
                .isBetween(Duration.ofSeconds(100), Duration.ofSeconds(120));
        String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(2));
        assertThat(OpenAiClient.retryAfter(Optional.of(past))).contains(Duration.ZERO);
    }

    @Test
    void aReplyThatTricklesInSlowerThanTheTimeoutIsATimeoutThatIsRetried() {
        // The JDK client's own timeout ends when the headers arrive: this body alone takes 20 s.
        MockResponse trickling = new MockResponse.Builder().code(200).body("{\"data\": [" + " ".repeat(200) + "]}")
                .throttleBody(10, 1, TimeUnit.SECONDS).build();
        api.alwaysRespond(trickling);
        long start = System.nanoTime();
        assertThatThrownBy(() -> embedder(64, 1, 1, null).embed("beach"))
                .hasMessageContaining("failed: the answer was not complete within 1 s, 2 attempts");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(api.requests()).hasSize(2);
    }

    @Test
    void aReplyLargerThanItsCapFailsAtOnceAndIsNotRetried() {
        assertThat(OpenAiEmbedder.maxReplyBytes(settings(64, null))).isEqualTo(32L << 20);
        okio.Buffer huge = new okio.Buffer().writeUtf8("{\"data\": [\"" + "x".repeat((33 << 20)) + "\"]}");
        api.thenRespond(new MockResponse.Builder().code(200).chunkedBody(huge, 64 * 1024).build());
        assertThatThrownBy(() -> embedder().embed("beach")).isInstanceOf(EmbeddingException.class)
                .hasMessage(api.baseUrl() + "/embeddings answered more than 32 MiB, far more than any valid answer to this"
                        + " embedding request; it was not read further. Check that model 'text-embedding-3-small' at"
                        + " embedding.base_url is the one meant");
        assertThat(api.requests()).hasSize(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aReplyWhoseDeclaredLengthIsOverItsCapIsNotRead() {
        api.thenRespond(new MockResponse.Builder().code(200).body("{}").setHeader("Content-Length", 1L << 40).build());
        assertThatThrownBy(() -> embedder().embed("beach")).hasMessageContaining("answered more than 32 MiB");
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void theCapOnAReplyGrowsWithTheBatchAndItsDimensionsWithinBounds() {
        assertThat(OpenAiEmbedder.maxReplyBytes(settings(2048, 1536))).isEqualTo(2048L * (1536 * 24 + 1024));
        assertThat(OpenAiEmbedder.maxReplyBytes(settings(2048, 65_536))).isEqualTo(256L << 20);
    }

    @Test
    void aVectorHoldingSomethingThatIsNotAFiniteNumberIsRefused() {
        for (String value : List.of("\"0.5\"", "null", "1e39", "true")) {
            api.thenRespond(new MockResponse(200, Headers.of(), "{\"data\": [{\"index\": 0, \"embedding\": [0.1, "
                    + value + "]}]}"));
            assertThatThrownBy(() -> embedder().embed("beach")).as(value).isInstanceOf(EmbeddingException.class)
                    .hasMessage("the embeddings API answered a vector holding " + value.replace("1e39", "1.0E39")
                            + ", which is not a finite number");
        }
    }

    @Test
    void twoVectorsForOneTextAreAMalformedAnswer() {
        api.thenRespond(new MockResponse(200, Headers.of(), "{\"data\": [{\"index\": 0, \"embedding\": [0.1]},"
                + " {\"index\": 0, \"embedding\": [0.2]}]}"));
        assertThatThrownBy(() -> embedder().embed(List.of("beach", "coast"))).isInstanceOf(EmbeddingException.class)
                .hasMessageStartingWith("the embeddings API answered a malformed item: {\"index\":0");
    }

    @Test
    void retriesAreWarningsNamingTheEndpointThatDoNotFloodTheLog() throws Exception {
        OpenAiEmbedder embedder = embedder();
        String endpoint = "[embedding] embedding request to " + api.baseUrl() + " (model text-embedding-3-small): ";
        try (LogCapture log = new LogCapture("watcher")) {
            api.thenRespond(FakeEmbeddingsApi.status(429, "Retry-After", "7"));
            embedder.embed("beach");
            assertThat(log.messages()).containsExactly(endpoint + "HTTP 429; retry 1 of 5 in 7 s",
                    endpoint.substring(0, endpoint.length() - 2) + " answered again");

            for (int i = 0; i < 20; i++) {
                api.thenRespond(FakeEmbeddingsApi.status(429, "Retry-After", "7"));
                embedder.embed("storm " + i);
            }
            assertThat(log.messages()).as("a storm of 429s is counted, not logged").hasSize(2);

            api.thenRespond(FakeEmbeddingsApi.status(503));
            embedder.embed("another problem");
            assertThat(log.messages()).hasSize(4).element(2).isEqualTo(endpoint + "HTTP 503; retry 1 of 5 in 1 s");

            clock.advance(Duration.ofMinutes(10));
            api.thenRespond(FakeEmbeddingsApi.status(429, "Retry-After", "7"), FakeEmbeddingsApi.status(429));
            embedder.embed("later");
            assertThat(log.messages()).hasSize(6).element(4).asString()
                    .startsWith(endpoint + "HTTP 429; retry 1 of 5 in 7 s (again, 20 retries since ");
            assertThat(log.messages()).allSatisfy(line -> assertThat(line).doesNotContain("sk-test-123"));
        }
    }
}
