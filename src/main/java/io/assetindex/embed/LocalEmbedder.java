package io.assetindex.embed;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.util.CacheFolder;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;

/**
 * all-MiniLM-L6-v2, quantized, 384 dimensions, run in-process by ONNX Runtime (through
 * LangChain4j): the model ships in the jar, so embedding works offline with no key. Loaded once
 * per process, on first use (under a second). Texts longer than the model's 256 tokens are cut.
 *
 * <p>Each call runs on the calling thread with one ONNX thread: the indexer's workers already
 * keep every core busy, and ONNX Runtime's own thread pool on top of them only fights for the
 * same cores (one thread per call embeds 1.8x more texts per second on 2 cores with 2 workers).
 * A batch of texts (re-embedding after a model change) is spread over one thread per core.
 */
public final class LocalEmbedder implements Embedder {
    public static final int DIMENSION = 384;

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
    /** DJL extracts the tokenizer's native library here (it would use ~/.djl.ai). */
    private static final String DJL_CACHE_PROPERTY = "DJL_CACHE_DIR";
    /** Keeps DJL from asking the EC2 metadata service about the machine (usage tracking). */
    private static final String DJL_TRACKING_PROPERTY = "OPT_OUT_TRACKING";

    private static volatile Model shared;

    private final Path fallbackCache;

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

    /** A batch is spread over the cores. */
    @Override
    public int batchSize() {
        return 32;
    }

    @Override
    public List<float[]> embed(List<String> texts) throws EmbeddingException {
        try {
            List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (Embedding embedding : model(fallbackCache).embedAll(segments).content()) {
                vectors.add(embedding.vector());
            }
            return vectors;
        } catch (RuntimeException | LinkageError e) {
            throw new EmbeddingException("the local embedding model failed: " + e, e);
        }
    }

    private static Model model(Path fallbackCache) throws EmbeddingException {
        Model loaded = shared;
        if (loaded == null) {
            synchronized (LocalEmbedder.class) {
                loaded = shared;
                if (loaded == null) {
                    loaded = load(fallbackCache);
                    shared = loaded;
                }
            }
        }
        return loaded;
    }

    private static Model load(Path fallbackCache) throws EmbeddingException {
        if (System.getProperty(DJL_CACHE_PROPERTY) == null && System.getenv(DJL_CACHE_PROPERTY) == null) {
            System.setProperty(DJL_CACHE_PROPERTY, CacheFolder.choose(fallbackCache).resolve("djl").toString());
        }
        if (System.getProperty(DJL_TRACKING_PROPERTY) == null) {
            System.setProperty(DJL_TRACKING_PROPERTY, "true");
        }
        try (InputStream model = resource(MODEL); InputStream tokenizer = resource(TOKENIZER)) {
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession session = environment.createSession(model.readAllBytes(), options);
            int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
            return new Model(new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN),
                    Executors.newFixedThreadPool(cores, Threads.daemon("embed")));
        } catch (IOException | OrtException e) {
            throw new EmbeddingException("cannot load the local embedding model: " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream stream = LocalEmbedder.class.getResourceAsStream(name);
        if (stream == null) {
            throw new IOException(name + " is missing from the jar");
        }
        return stream;
    }

    /** The model, with the session options above; batches go to {@code executor}. */
    private static final class Model extends AbstractInProcessEmbeddingModel {
        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder, Executor executor) {
            super(executor);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSION;
        }
    }
}
