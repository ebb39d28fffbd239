package io.assetindex.scan;

import io.assetindex.ai.ApiUsage;
import io.assetindex.ai.Describer;
import io.assetindex.ai.OpenAiClient;
import io.assetindex.ai.Transcriber;
import io.assetindex.config.AiSettings;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The AI models one configuration uses, each with its own client (limits, outage pause) and
 * usage counters since the process started.
 */
public final class AiServices {
    private final Describer describer;
    private final Transcriber transcriber;
    private final Map<String, ApiUsage> usage = new LinkedHashMap<>();

    public AiServices(AiSettings settings, Function<String, String> environment, Clock clock) {
        this(settings, environment, clock, OpenAiClient.defaultHttpClient(), OpenAiClient.Sleeper.REAL);
    }

    public AiServices(AiSettings settings, Function<String, String> environment, Clock clock, HttpClient http,
            OpenAiClient.Sleeper sleeper) {
        OpenAiClient describe = client("describe", "describe request", "lower ai.describe.image_max_side or video_frames",
                settings.describe(), environment, clock, http, sleeper);
        OpenAiClient transcribe = client("transcribe", "transcription request", "lower ai.transcribe.max_upload_mb",
                settings.transcribe(), environment, clock, http, sleeper);
        this.describer = describe == null ? null : new Describer(describe, settings.describePrompt());
        this.transcriber = transcribe == null ? null : new Transcriber(transcribe);
    }

    private OpenAiClient client(String name, String purpose, String tooLargeAdvice, AiSettings.Service service,
            Function<String, String> environment, Clock clock, HttpClient http, OpenAiClient.Sleeper sleeper) {
        if (service == null) {
            return null;
        }
        ApiUsage counters = new ApiUsage();
        usage.put(name, counters);
        return new OpenAiClient(new OpenAiClient.Endpoint("ai." + name, purpose, service.baseUrl(), service.model(),
                service.apiKeyEnv(), service.timeoutSeconds(), service.maxRetries(), service.maxConcurrentRequests(),
                service.requestsPerMinute(), tooLargeAdvice), environment, http, sleeper, clock, counters);
    }

    public Optional<Describer> describer() {
        return Optional.ofNullable(describer);
    }

    public Optional<Transcriber> transcriber() {
        return Optional.ofNullable(transcriber);
    }

    /** {@link #usage()} as plain maps, for state.json and --json. */
    public Map<String, Map<String, Long>> usageMap() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        usage.forEach((name, counters) -> out.put(name, counters.toMap()));
        return out;
    }

    /** One line, e.g. "describe 12 calls (1 failed), 20,412 tokens; transcribe 3 calls"; empty when AI is off. */
    public String line() {
        List<String> parts = new ArrayList<>();
        usage.forEach((name, counters) -> parts.add(name + " " + counters.calls() + " calls"
                + (counters.failures() > 0 ? " (" + counters.failures() + " failed)" : "")
                + (counters.tokens() > 0 ? String.format(Locale.ROOT, ", %,d tokens", counters.tokens()) : "")));
        return String.join("; ", parts);
    }
}
