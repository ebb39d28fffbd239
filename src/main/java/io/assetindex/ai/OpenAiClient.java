package io.assetindex.ai;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Requests to one OpenAI-compatible API (OpenAI, Gemini's OpenAI endpoint, Ollama, LM Studio,
 * vLLM) through the JDK's HTTP client: embeddings, chat completions, audio transcriptions.
 *
 * <p>Guarantees: at most {@code max_concurrent_requests} requests are in flight and they start
 * no faster than {@code requests_per_minute}; a request answered 429 or 5xx, or not answered in
 * full within {@code timeout_seconds}, is retried up to {@code max_retries} times with capped exponential backoff (1 s, 2 s, 4 s
 * ... 60 s), or after the server's {@code Retry-After} (at most 60 s) when it sends one; 401/403
 * and 404 fail at once with what to check. When a request has used up its retries the API is
 * taken as down and calls fail at once for {@link #PAUSE_AFTER_OUTAGE}, so callers never spin
 * and workers never stall. Retries go to watcher.err.log through a {@link RetryLog}, a bounded
 * number of lines however many there are. A reply is read into memory only up to the size its
 * caller allows ({@link CappedBody}); a larger one fails that request at once (it is not retried:
 * the same question would most likely get the same flood, and be paid for again).
 * The API key is read from the environment variable named in the config at each request and is
 * cut out of every message this class makes, so it never reaches a log, state.json or the index.
 * Thread-safe.
 */
public final class OpenAiClient {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    /** How long calls fail at once after a request used up its retries. */
    public static final Duration PAUSE_AFTER_OUTAGE = Duration.ofMinutes(1);

    /**
     * Where and how to ask.
     *
     * @param configKey             the config section, for messages ("embedding", "ai.describe")
     * @param purpose               what a request is, for messages ("embedding request")
     * @param apiKeyEnv             the name of the environment variable holding the key, or null for none
     * @param maxConcurrentRequests 0 for no limit
     * @param requestsPerMinute     0 for no limit
     * @param tooLargeAdvice        what to change when the API finds a request too large (413)
     */
    public record Endpoint(String configKey, String purpose, URI baseUrl, String model, String apiKeyEnv,
            int timeoutSeconds, int maxRetries, int maxConcurrentRequests, int requestsPerMinute,
            String tooLargeAdvice) {}

    /** Waits between retries; tests pass one that does not sleep. */
    @FunctionalInterface
    public interface Sleeper {
        Sleeper REAL = duration -> Thread.sleep(duration.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    /** A request body, sent again as it is on each retry. */
    public record Body(String contentType, byte[] bytes) {
        public static Body json(JsonNode json) {
            return new Body("application/json", Json.write(json).getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Endpoint endpoint;
    private final Function<String, String> environment;
    private final HttpClient http;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Semaphore inFlight;
    private final ApiUsage usage;
    private final RetryLog retries;
    private Instant nextStart = Instant.EPOCH;
    /** While the API is taken as down: until when, and why. */
    private volatile Outage outage;

    private record Outage(Instant until, String reason) {}

    public OpenAiClient(Endpoint endpoint, Function<String, String> environment, HttpClient http, Sleeper sleeper,
            Clock clock, ApiUsage usage) {
        this.endpoint = endpoint;
        this.environment = environment;
        this.http = http;
        this.sleeper = sleeper;
        this.clock = clock;
        this.usage = usage;
        this.retries = new RetryLog(LOG, clock, "[" + endpoint.configKey() + "] " + endpoint.purpose() + " to "
                + endpoint.baseUrl() + " (model " + endpoint.model() + ")");
        this.inFlight = endpoint.maxConcurrentRequests() > 0 ? new Semaphore(endpoint.maxConcurrentRequests(), true) : null;
    }

    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public ApiUsage usage() {
        return usage;
    }

    /**
     * POSTs JSON to {@code <base_url><path>} and returns the JSON answer; counts its tokens when it reports them.
     *
     * @param maxReplyBytes the largest reply read: more fails the request (and is not retried)
     */
    public JsonNode postJson(String path, JsonNode body, long maxReplyBytes) throws ApiException {
        return parse(post(path, Body.json(body), maxReplyBytes));
    }

    /** POSTs to {@code <base_url><path>} and returns the JSON answer; see {@link #postJson}. */
    public JsonNode postForJson(String path, Body body, long maxReplyBytes) throws ApiException {
        return parse(post(path, body, maxReplyBytes));
    }

    private JsonNode parse(String answer) throws ApiException {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(answer);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new ApiException(describeApi() + " answered something that is not JSON: " + brief(answer));
        }
        usage.tokens(json.path("usage"));
        return json;
    }

    private String describeApi() {
        String purpose = endpoint.purpose();
        int space = purpose.lastIndexOf(' ');
        return "the " + (space < 0 ? purpose : purpose.substring(0, space)) + " API";
    }

    /** POSTs and returns the body of a 200 answer. */
    private String post(String path, Body body, long maxReplyBytes) throws ApiException {
        URI uri = URI.create(endpoint.baseUrl() + path);
        Outage down = outage;
        if (down != null && clock.instant().isBefore(down.until())) {
            throw new ApiException(down.reason() + "; not asking again before "
                    + DateTimeFormatter.ISO_LOCAL_TIME.format(down.until().atZone(ZoneId.systemDefault()).toLocalTime()
                            .withNano(0)));
        }
        String key = key();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(endpoint.timeoutSeconds()))
                .header("Content-Type", body.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.bytes()));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        Duration backoff = FIRST_BACKOFF;
        for (int attempt = 0; ; attempt++) {
            String problem;
            Optional<Duration> retryAfter = Optional.empty();
            try {
                Answer response = send(request.build(), maxReplyBytes);
                int status = response.status();
                if (status == 200) {
                    outage = null;
                    retries.answered();
                    return response.body();
                }
                usage.failed();
                if (status == 401 || status == 403) {
                    throw new ApiException(uri + " refused the API key" + (endpoint.apiKeyEnv() == null
                            ? " (none was sent; set " + endpoint.configKey() + ".api_key_env)"
                            : " in " + endpoint.apiKeyEnv()) + " (HTTP " + status + "); check the key");
                }
                if (status == 404) {
                    throw new ApiException(uri + " answered 404: check " + endpoint.configKey()
                            + ".base_url and that model '" + endpoint.model() + "' exists there");
                }
                if (status == 413) {
                    throw new ApiException(uri + " answered 413: the request is larger than it accepts; "
                            + endpoint.tooLargeAdvice(), true);
                }
                if (status != 429 && status < 500) {
                    // The API read the request and refused it (400, 422 ...): asking again would fail alike.
                    throw new ApiException(uri + " answered HTTP " + status + ": " + brief(response.body())
                            + "; check that model '" + endpoint.model() + "' at " + endpoint.configKey()
                            + ".base_url takes this kind of request", true);
                }
                problem = "HTTP " + status;
                retryAfter = retryAfter(response.headers().firstValue("Retry-After"));
            } catch (HttpTimeoutException e) {
                usage.failed();
                problem = "no answer within " + endpoint.timeoutSeconds() + " s";
            } catch (IOException e) {
                usage.failed();
                if (CappedBody.causedBy(e, CappedBody.TooLarge.class)) {
                    throw new ApiException(uri + " answered more than " + Text.bytes(maxReplyBytes) + ", far more"
                            + " than any valid answer to this " + endpoint.purpose() + "; it was not read further. Check"
                            + " that model '" + endpoint.model() + "' at " + endpoint.configKey()
                            + ".base_url is the one meant", true);
                }
                problem = CappedBody.causedBy(e, TimeoutException.class)
                        ? "the answer was not complete within " + endpoint.timeoutSeconds() + " s"
                        : "cannot reach it (" + e.getClass().getSimpleName() + (e.getMessage() == null ? ""
                                : ": " + redact(e.getMessage())) + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiException("interrupted");
            }
            if (attempt >= endpoint.maxRetries()) {
                String reason = endpoint.purpose() + " to " + uri + " failed: " + problem + ", " + (attempt + 1)
                        + (attempt == 0 ? " attempt" : " attempts");
                outage = new Outage(clock.instant().plus(PAUSE_AFTER_OUTAGE), reason);
                throw new ApiException(reason);
            }
            Duration wait = retryAfter.map(d -> d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d).orElse(backoff);
            retries.retrying(problem, attempt + 1, endpoint.maxRetries(), wait);
            pause(wait);
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private String key() throws ApiException {
        if (endpoint.apiKeyEnv() == null) {
            return null;
        }
        String key = environment.apply(endpoint.apiKeyEnv());
        if (key == null || key.isBlank()) {
            throw new ApiException("environment variable " + endpoint.apiKeyEnv() + " (" + endpoint.configKey()
                    + ".api_key_env) is not set; export the API key in it");
        }
        return key;
    }

    /** Sends within the limits on requests in flight and per minute; counts the call. */
    private Answer send(HttpRequest request, long maxReplyBytes) throws IOException, InterruptedException {
        if (inFlight != null) {
            inFlight.acquire();
        }
        try {
            waitForSlot();
            usage.called();
            long deadline = System.nanoTime() + request.timeout().orElseThrow().toNanos();
            HttpResponse<byte[]> response = http.send(request, CappedBody.handler(maxReplyBytes, deadline));
            return new Answer(response.statusCode(), response.headers(),
                    redact(new String(response.body(), StandardCharsets.UTF_8)));
        } finally {
            if (inFlight != null) {
                inFlight.release();
            }
        }
    }

    /** Spreads request starts evenly: one every 60/requests_per_minute seconds. */
    private void waitForSlot() throws InterruptedException {
        if (endpoint.requestsPerMinute() <= 0) {
            return;
        }
        Duration interval = Duration.ofMillis(60_000L / endpoint.requestsPerMinute());
        Instant slot;
        synchronized (this) {
            Instant now = clock.instant();
            slot = nextStart.isAfter(now) ? nextStart : now;
            nextStart = slot.plus(interval);
        }
        Duration wait = Duration.between(clock.instant(), slot);
        if (!wait.isNegative() && !wait.isZero()) {
            sleeper.sleep(wait);
        }
    }

    private void pause(Duration wait) throws ApiException {
        try {
            sleeper.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException("interrupted");
        }
    }

    /** The text with the API key cut out (a server may echo it in an error). */
    String redact(String text) {
        String key = endpoint.apiKeyEnv() == null ? null : environment.apply(endpoint.apiKeyEnv());
        return text == null || key == null || key.length() < 4 ? text : text.replace(key, "[api key]");
    }

    /** Retry-After is either seconds or an HTTP date. */
    public static Optional<Duration> retryAfter(Optional<String> header) {
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

    /** One line of at most 200 characters (of a text of any size: only its start is looked at). */
    public static String brief(String text) {
        String start = text == null ? "" : text.substring(0, Math.min(text.length(), 4_000));
        return Text.ellipsize(Text.escapeControls(start.replaceAll("\\s+", " ").strip()), 200);
    }

    /** What the server answered, with the key cut out of the body. */
    private record Answer(int status, java.net.http.HttpHeaders headers, String body) {}
}
