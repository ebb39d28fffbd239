package io.assetindex.ai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one API was asked since the process started: requests sent, requests that failed (an
 * error status, a timeout, no connection, an unusable answer) and the tokens the API reported.
 * Shown by {@code status} (through state.json) and the scan's summary. Thread-safe.
 */
public final class ApiUsage {
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong promptTokens = new AtomicLong();
    private final AtomicLong completionTokens = new AtomicLong();

    void called() {
        calls.incrementAndGet();
    }

    /** A request failed, or its answer could not be used. */
    public void failed() {
        failures.incrementAndGet();
    }

    /** Adds an OpenAI-style {@code usage} object's tokens (nothing when the API reports none). */
    void tokens(JsonNode usage) {
        long prompt = usage.path("prompt_tokens").asLong(usage.path("input_tokens").asLong(0));
        long completion = usage.path("completion_tokens").asLong(usage.path("output_tokens").asLong(0));
        if (prompt == 0 && completion == 0) {
            prompt = usage.path("total_tokens").asLong(0);
        }
        promptTokens.addAndGet(prompt);
        completionTokens.addAndGet(completion);
    }

    public long calls() {
        return calls.get();
    }

    public long failures() {
        return failures.get();
    }

    public long tokens() {
        return promptTokens.get() + completionTokens.get();
    }

    /** For state.json and --json: calls, failures, prompt_tokens, completion_tokens. */
    public Map<String, Long> toMap() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("calls", calls());
        out.put("failures", failures());
        out.put("prompt_tokens", promptTokens.get());
        out.put("completion_tokens", completionTokens.get());
        return out;
    }
}
