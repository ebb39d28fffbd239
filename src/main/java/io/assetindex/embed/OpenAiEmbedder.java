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
 * keeping the key secret are {@link OpenAiClient}'s. A reply is read only up to
 * {@link #maxReplyBytes} and must hold one vector of finite numbers for each text.
 */
public final class OpenAiEmbedder implements Embedder {
    /** The smallest cap on a reply: a batch of 64 texts of 3072 dimensions is about 5 MB of JSON. */
    static final long MIN_REPLY_BYTES = 32L * 1024 * 1024;
    /** The largest: beyond it no batch fits in memory comfortably; lower batch_size instead. */
    static final long MAX_REPLY_BYTES = 256L * 1024 * 1024;
    /** JSON characters a dimension takes at most ("-0.012345678901234567,"), and room for the rest of an item. */
    private static final long BYTES_PER_DIMENSION = 24;
    private static final long BYTES_PER_ITEM = 1024;
    /** The dimensions assumed when the config asks for none: more than the largest common models make. */
    private static final int ASSUMED_DIMENSIONS = 4096;

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
            return parse(client.postJson("/embeddings", body, maxReplyBytes(settings)).path("data"), texts.size());
        } catch (ApiException e) {
            throw new EmbeddingException(e.getMessage());
        }
    }

    /** The largest reply to a batch of {@code batch_size} texts: generous, and proportional to what was asked. */
    static long maxReplyBytes(EmbeddingSettings settings) {
        int dimensions = settings.dimensions() == null ? ASSUMED_DIMENSIONS : settings.dimensions();
        long bytes = settings.batchSize() * (dimensions * BYTES_PER_DIMENSION + BYTES_PER_ITEM);
        return Math.min(MAX_REPLY_BYTES, Math.max(MIN_REPLY_BYTES, bytes));
    }

    private static List<float[]> parse(JsonNode data, int expected) throws EmbeddingException {
        if (!data.isArray() || data.size() != expected) {
            throw new EmbeddingException("the embeddings API answered " + (data.isArray() ? data.size() : 0)
                    + " vectors for " + expected + " texts");
        }
        float[][] vectors = new float[expected][];
        for (JsonNode item : data) {
            JsonNode position = item.path("index");
            int index = position.isIntegralNumber() && position.canConvertToInt() ? position.asInt() : -1;
            JsonNode values = item.path("embedding");
            if (index < 0 || index >= expected || vectors[index] != null || !values.isArray() || values.isEmpty()) {
                throw new EmbeddingException("the embeddings API answered a malformed item: "
                        + OpenAiClient.brief(item.toString()));
            }
            float[] vector = new float[values.size()];
            for (int i = 0; i < vector.length; i++) {
                vector[i] = (float) values.get(i).asDouble();
                if (!values.get(i).isNumber() || !Float.isFinite(vector[i])) {
                    throw new EmbeddingException("the embeddings API answered a vector holding "
                            + OpenAiClient.brief(values.get(i).toString()) + ", which is not a finite number");
                }
            }
            vectors[index] = vector;
        }
        return List.of(vectors);
    }
}
