package io.assetindex.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.util.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Any OpenAI-compatible {@code POST <base_url>/embeddings} (OpenAI, Ollama, LM Studio, vLLM),
 * through the JDK's HTTP client.
 *
 * <p>Texts go in batches of {@code batch_size}. A request answered 429 or 5xx, or not answered
 * in time, is retried up to {@code max_retries} times with capped exponential backoff (1 s, 2 s,
 * 4 s ... 60 s), or after the server's {@code Retry-After} when it sends one. 401/403 and 404
 * fail at once with what to check. When a request has used up its retries, the API is taken
 * as down: calls fail at once for the next minute instead of each waiting through its own
 * retries (so the watcher keeps indexing files, without vectors, while the API is away). The
 * API key is read from the environment variable named in the config at each request, and
 * never appears in logs or error messages.
 */
public final class OpenAiEmbedder implements Embedder {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** How long calls fail at once after a request used up its retries. */
    static final Duration PAUSE_AFTER_OUTAGE = Duration.ofMinutes(1);

    /** Waits between retries; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final EmbeddingSettings settings;
    private final Function<String, String> environment;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final Clock clock;
    /** While the API is taken as down: until when, and why. */
    private volatile Outage outage;

    private record Outage(Instant until, String reason) {}

    public OpenAiEmbedder(EmbeddingSettings settings, Function<String, String> environment) {
        this(settings, environment, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                duration -> Thread.sleep(duration.toMillis()), Clock.systemUTC());
    }

    OpenAiEmbedder(EmbeddingSettings settings, Function<String, String> environment, HttpClient http, Sleeper sleeper,
            Clock clock) {
        this.settings = settings;
        this.environment = environment;
        this.http = http;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public Map<String, Object> identity() {
        return settings.identity();
    }

    @Override
    public int batchSize() {
        return settings.batchSize();
    }

    @Override
    public List<float[]> embed(List<String> texts) throws EmbeddingException {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += settings.batchSize()) {
            vectors.addAll(embedBatch(texts.subList(from, Math.min(texts.size(), from + settings.batchSize()))));
        }
        return vectors;
    }

    private List<float[]> embedBatch(List<String> texts) throws EmbeddingException {
        URI endpoint = URI.create(settings.baseUrl() + "/embeddings");
        Outage down = outage;
        if (down != null && clock.instant().isBefore(down.until())) {
            throw new EmbeddingException(down.reason() + "; not asking again before "
                    + DateTimeFormatter.ISO_LOCAL_TIME.format(down.until().atZone(ZoneId.systemDefault()).toLocalTime()
                            .withNano(0)));
        }
        ObjectNode body = Json.object();
        body.put("model", settings.model());
        body.set("input", Json.MAPPER.valueToTree(texts));
        if (settings.dimensions() != null) {
            body.put("dimensions", settings.dimensions());
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(settings.timeoutSeconds()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
        String key = settings.apiKeyEnv() == null ? null : environment.apply(settings.apiKeyEnv());
        if (settings.apiKeyEnv() != null && (key == null || key.isBlank())) {
            throw new EmbeddingException("environment variable " + settings.apiKeyEnv()
                    + " (embedding.api_key_env) is not set; export the API key in it");
        }
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 0; ; attempt++) {
            String problem;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status == 200) {
                    outage = null;
                    return parse(response.body(), texts.size());
                }
                if (status == 401 || status == 403) {
                    throw new EmbeddingException(endpoint + " refused the API key" + (settings.apiKeyEnv() == null
                            ? " (none was sent; set embedding.api_key_env)" : " in " + settings.apiKeyEnv())
                            + " (HTTP " + status + "); check the key");
                }
                if (status == 404) {
                    throw new EmbeddingException(endpoint + " answered 404: check embedding.base_url and that model '"
                            + settings.model() + "' exists there");
                }
                if (status != 429 && status < 500) {
                    throw new EmbeddingException(endpoint + " answered HTTP " + status + ": " + brief(response.body()));
                }
                problem = "HTTP " + status;
                retryAfter = retryAfter(response.headers().firstValue("Retry-After"));
            } catch (HttpTimeoutException e) {
                problem = "no answer within " + settings.timeoutSeconds() + " s";
            } catch (IOException e) {
                problem = "cannot reach it (" + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                        : ": " + e.getMessage()) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddingException("interrupted");
            }
            if (attempt >= settings.maxRetries()) {
                String reason = "embedding request to " + endpoint + " failed: " + problem + ", " + (attempt + 1)
                        + (attempt == 0 ? " attempt" : " attempts");
                outage = new Outage(clock.instant().plus(PAUSE_AFTER_OUTAGE), reason);
                throw new EmbeddingException(reason);
            }
            Duration wait = retryAfter.map(d -> d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d).orElse(backoff);
            LOG.debug("[embed] {} from {}; retrying in {} ms", problem, endpoint, wait.toMillis());
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EmbeddingException("interrupted");
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private List<float[]> parse(String body, int expected) throws EmbeddingException {
        JsonNode data;
        try {
            data = Json.MAPPER.readTree(body).path("data");
        } catch (IOException e) {
            throw new EmbeddingException("the embeddings API answered something that is not JSON: " + brief(body));
        }
        if (!data.isArray() || data.size() != expected) {
            throw new EmbeddingException("the embeddings API answered " + (data.isArray() ? data.size() : 0)
                    + " vectors for " + expected + " texts");
        }
        float[][] vectors = new float[expected][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            JsonNode values = item.path("embedding");
            if (index < 0 || index >= expected || !values.isArray() || values.isEmpty()) {
                throw new EmbeddingException("the embeddings API answered a malformed item: " + brief(item.toString()));
            }
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) values.get(i).asDouble();
            }
            vectors[index] = vector;
        }
        return List.of(vectors);
    }

    /** Retry-After is either seconds or an HTTP date. */
    static Optional<Duration> retryAfter(Optional<String> header) {
        if (header.isEmpty()) {
            return Optional.empty();
        }
        String value = header.get().strip();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(value))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration wait = Duration.between(ZonedDateTime.now(when.getZone()), when);
                return Optional.of(wait.isNegative() ? Duration.ZERO : wait);
            } catch (RuntimeException unparsable) {
                return Optional.empty();
            }
        }
    }

    private static String brief(String text) {
        String line = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return line.length() <= 200 ? line : line.substring(0, 197) + "...";
    }
}
