package io.assetindex.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.util.CacheFolder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * all-MiniLM-L6-v2, quantized, 384 dimensions, run in-process by ONNX Runtime (through
 * LangChain4j): the model ships in the jar, so embedding works offline with no key. Loaded
 * on first use (under a second). Texts longer than the model's 256 tokens are cut.
 */
public final class LocalEmbedder implements Embedder {
    public static final int DIMENSION = 384;

    /** DJL extracts the tokenizer's native library here (it would use ~/.djl.ai). */
    private static final String DJL_CACHE_PROPERTY = "DJL_CACHE_DIR";

    private final Path fallbackCache;
    private volatile AllMiniLmL6V2QuantizedEmbeddingModel model;

    /**
     * @param fallbackCache where to extract native libraries when the user's cache folder is not writable
     */
    public LocalEmbedder(Path fallbackCache) {
        this.fallbackCache = fallbackCache;
    }

    @Override
    public String model() {
        return EmbeddingSettings.LOCAL_MODEL;
    }

    @Override
    public Map<String, Object> identity() {
        return Map.of("provider", EmbeddingSettings.LOCAL, "model", EmbeddingSettings.LOCAL_MODEL);
    }

    /** The model runs the texts of one call on all cores. */
    @Override
    public int batchSize() {
        return 32;
    }

    @Override
    public List<float[]> embed(List<String> texts) throws EmbeddingException {
        try {
            List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (Embedding embedding : loadedModel().embedAll(segments).content()) {
                vectors.add(embedding.vector());
            }
            return vectors;
        } catch (RuntimeException | LinkageError e) {
            throw new EmbeddingException("the local embedding model failed: " + e, e);
        }
    }

    private AllMiniLmL6V2QuantizedEmbeddingModel loadedModel() {
        AllMiniLmL6V2QuantizedEmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                loaded = model;
                if (loaded == null) {
                    if (System.getProperty(DJL_CACHE_PROPERTY) == null && System.getenv(DJL_CACHE_PROPERTY) == null) {
                        System.setProperty(DJL_CACHE_PROPERTY, CacheFolder.choose(fallbackCache).resolve("djl").toString());
                    }
                    loaded = new AllMiniLmL6V2QuantizedEmbeddingModel();
                    model = loaded;
                }
            }
        }
        return loaded;
    }
}
