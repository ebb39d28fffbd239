package io.assetindex.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.ai.ApiException;
import io.assetindex.ai.ApiUsage;
import io.assetindex.ai.OpenAiClient;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.util.Json;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Any OpenAI-compatible {@code POST <base_url>/embeddings} (OpenAI, Ollama, LM Studio, vLLM).
 * Texts go in batches of {@code batch_size}; retries, backoff, the pause after an outage and
 * keeping the key secret are {@link OpenAiClient}'s.
 */
public final class OpenAiEmbedder implements Embedder {
    private final EmbeddingSettings settings;
    private final OpenAiClient client;

    public OpenAiEmbedder(EmbeddingSettings settings, Function<String, String> environment) {
        this(settings, environment, OpenAiClient.defaultHttpClient(), OpenAiClient.Sleeper.REAL, Clock.systemUTC());
    }

    OpenAiEmbedder(EmbeddingSettings settings, Function<String, String> environment, HttpClient http,
            OpenAiClient.Sleeper sleeper, Clock clock) {
        this.settings = settings;
        this.client = new OpenAiClient(new OpenAiClient.Endpoint("embedding", "embedding request", settings.baseUrl(),
                settings.model(), settings.apiKeyEnv(), settings.timeoutSeconds(), settings.maxRetries(), 0, 0,
                "lower embedding.batch_size"),
                environment, http, sleeper, clock, new ApiUsage());
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
        ObjectNode body = Json.object();
        body.put("model", settings.model());
        body.set("input", Json.MAPPER.valueToTree(texts));
        if (settings.dimensions() != null) {
            body.put("dimensions", settings.dimensions());
        }
        try {
            return parse(client.postJson("/embeddings", body).path("data"), texts.size());
        } catch (ApiException e) {
            throw new EmbeddingException(e.getMessage());
        }
    }

    private static List<float[]> parse(JsonNode data, int expected) throws EmbeddingException {
        if (!data.isArray() || data.size() != expected) {
            throw new EmbeddingException("the embeddings API answered " + (data.isArray() ? data.size() : 0)
                    + " vectors for " + expected + " texts");
        }
        float[][] vectors = new float[expected][];
        for (JsonNode item : data) {
            int index = item.path("index").asInt(-1);
            JsonNode values = item.path("embedding");
            if (index < 0 || index >= expected || !values.isArray() || values.isEmpty()) {
                throw new EmbeddingException("the embeddings API answered a malformed item: "
                        + OpenAiClient.brief(item.toString()));
            }
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) values.get(i).asDouble();
            }
            vectors[index] = vector;
        }
        return List.of(vectors);
    }
}
