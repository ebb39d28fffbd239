package io.assetindex.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process model, offline: real vectors from the model in the jar. */
class LocalEmbedderTest {
    @TempDir
    Path cache;

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    @Test
    void unitVectorsWhoseNearnessFollowsMeaning() throws Exception {
        LocalEmbedder embedder = new LocalEmbedder(cache);
        List<float[]> vectors = embedder.embed(List.of("a sunny day at the beach", "beach sunset waves. holiday",
                "invoice scan march. office"));
        assertThat(vectors).allSatisfy(vector -> {
            assertThat(vector).hasSize(LocalEmbedder.DIMENSION);
            assertThat(cosine(vector, vector)).isCloseTo(1.0, within(1e-5));
        });
        assertThat(cosine(vectors.get(0), vectors.get(1))).isGreaterThan(cosine(vectors.get(0), vectors.get(2)) + 0.2);
    }

    @Test
    void aBatchGivesTheSameVectorsAsOneByOneAndAsLangChain4jsOwnSetup() throws Exception {
        LocalEmbedder embedder = new LocalEmbedder(cache);
        List<String> texts = List.of("drone shot over the coast", "voice over about pricing", "piano lullaby. music",
                "dji 0042 beach sunset. in acme 042 / aerials. large landscape image");
        List<float[]> batch = embedder.embed(texts);
        AllMiniLmL6V2QuantizedEmbeddingModel stock = new AllMiniLmL6V2QuantizedEmbeddingModel();
        for (int i = 0; i < texts.size(); i++) {
            assertThat(embedder.embed(texts.get(i))).containsExactly(batch.get(i), within(1e-6f));
            assertThat(stock.embed(texts.get(i)).content().vector()).containsExactly(batch.get(i), within(1e-5f));
        }
    }
}
