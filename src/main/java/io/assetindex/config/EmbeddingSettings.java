package io.assetindex.config;

import java.net.URI;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which model embeds the assets' texts.
 *
 * @param provider        {@code local} (in-process, offline) or {@code openai} (an OpenAI-compatible API)
 * @param model           the model's name
 * @param baseUrl         the API's base URL (openai only), else null
 * @param apiKeyEnv       the name of the environment variable holding the API key, or null
 * @param dimensions      dimensions to ask the API for, or null for the model's own
 * @param batchSize       texts per request
 * @param timeoutSeconds  time limit of one request
 * @param maxRetries      retries of a request answered 429 or 5xx, or not answered
 */
public record EmbeddingSettings(String provider, String model, URI baseUrl, String apiKeyEnv, Integer dimensions,
        int batchSize, int timeoutSeconds, int maxRetries) {
    public static final String LOCAL = "local";
    public static final String OPENAI = "openai";
    public static final String LOCAL_MODEL = "all-minilm-l6-v2-q";

    /** The settings that decide which vectors come out (not timeouts or batch sizes): part of the config hash. */
    public Map<String, Object> identity() {
        Map<String, Object> out = new TreeMap<>();
        out.put("provider", provider);
        out.put("model", model);
        if (baseUrl != null) {
            out.put("base_url", baseUrl.toString());
        }
        if (dimensions != null) {
            out.put("dimensions", dimensions);
        }
        return out;
    }
}
