package io.assetindex.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A local server that speaks the OpenAI embeddings API ({@code POST /v1/embeddings}), standing
 * in for a remote one. Its vectors are deterministic and a little meaningful: each word of the
 * text adds to a few of the dimensions picked by the word's hash, so texts sharing words are
 * near. Tests script failures: responses to send before answering normally, texts to refuse,
 * the dimension of the vectors.
 */
public final class FakeEmbeddingsApi extends FakeApiServer {
    /** What the server received. */
    public record Request(String authorization, JsonNode body) {
        public List<String> inputs() {
            List<String> out = new ArrayList<>();
            body.path("input").forEach(text -> out.add(text.asText()));
            return out;
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile int dimension;
    private volatile String refusedWord;

    public FakeEmbeddingsApi(int dimension) {
        this.dimension = dimension;
    }

    /** Answers 400 to a request with a text containing this word (null: refuse none). */
    public FakeEmbeddingsApi refuseTextsWith(String word) {
        refusedWord = word;
        return this;
    }

    public FakeEmbeddingsApi dimension(int dimension) {
        this.dimension = dimension;
        return this;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** The vector this server gives a text. */
    public float[] vectorOf(String text, int dimensions) {
        float[] vector = new float[dimensions];
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (word.isEmpty()) {
                continue;
            }
            int hash = word.hashCode();
            for (int i = 0; i < 3; i++) {
                int mixed = Integer.rotateLeft(hash * 0x9E3779B1, 7 * i) ^ (i * 0x85EBCA6B);
                vector[Math.floorMod(mixed, dimensions)] += (mixed & 1) == 0 ? 1 : -1;
            }
        }
        double norm = 0;
        for (float value : vector) {
            norm += value * value;
        }
        if (norm == 0) {
            vector[0] = 1;
            return vector;
        }
        for (int i = 0; i < dimensions; i++) {
            vector[i] /= (float) Math.sqrt(norm);
        }
        return vector;
    }

    @Override
    MockResponse record(RecordedRequest request) {
        JsonNode body = Json.read(request.getBody() == null ? "{}" : request.getBody().string(StandardCharsets.UTF_8));
        Request recorded = new Request(request.getHeaders().get("Authorization"), body);
        requests.add(recorded);
        if (!"POST".equals(request.getMethod()) || !request.getUrl().encodedPath().equals("/v1/embeddings")) {
            return status(404);
        }
        String refused = refusedWord;
        if (refused != null && recorded.inputs().stream().anyMatch(text -> text.contains(refused))) {
            return status(400);
        }
        int dimensions = body.hasNonNull("dimensions") ? body.get("dimensions").asInt() : dimension;
        ObjectNode answer = Json.object();
        ArrayNode data = answer.putArray("data");
        List<String> inputs = recorded.inputs();
        // Items in reverse order: clients must place them by "index".
        for (int i = inputs.size() - 1; i >= 0; i--) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            item.put("index", i);
            ArrayNode values = item.putArray("embedding");
            for (float value : vectorOf(inputs.get(i), dimensions)) {
                values.add(value);
            }
        }
        answer.put("model", body.path("model").asText());
        return new MockResponse(200, Headers.of("Content-Type", "application/json"), Json.write(answer));
    }
}
