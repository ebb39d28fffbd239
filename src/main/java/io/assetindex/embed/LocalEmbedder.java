package io.assetindex.embed;

import ai.onnxruntime.OrtException;
import io.assetindex.config.EmbeddingSettings;
import io.assetindex.util.CacheFolder;
import io.assetindex.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * all-MiniLM-L6-v2, quantized, 384 dimensions, run in-process by ONNX Runtime ({@link MiniLm}; the
 * model and its tokenizer come in LangChain4j's artifact): the model ships in the jar, so embedding
 * works offline with no key. Loaded once per process, on first use (under a second). Texts longer
 * than 128 tokens are cut (the tokenizer's setting).
 *
 * <p>Each call runs on the calling thread with one ONNX thread: the indexer's workers already
 * keep every core busy, and ONNX Runtime's own thread pool on top of them only fights for the
 * same cores (one thread per call embeds 1.8x more texts per second on 2 cores with 2 workers).
 * The texts of a batch are embedded one by one: the model quantizes its activations per call
 * (dynamic quantization over the whole input), so texts run through it together, padded to one
 * length, come out different from the same texts alone (cosine 0.97 to 0.99 here) and depend on
 * their neighbours, while costing as much CPU per text (1.1 ms for a short text either way). A
 * text's vector therefore never depends on the batch it came in. Re-embedding spreads its
 * batches over the cores ({@link #parallelism()}).
 */
public final class LocalEmbedder implements Embedder {
    public static final int DIMENSION = 384;

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
    /** DJL extracts the tokenizer's native library here (it would use ~/.djl.ai). */
    private static final String DJL_CACHE_PROPERTY = "DJL_CACHE_DIR";
    /** Keeps DJL from asking the EC2 metadata service about the machine (usage tracking). */
    private static final String DJL_TRACKING_PROPERTY = "OPT_OUT_TRACKING";

    /** How long an exit waits for a model load in progress ({@link #awaitBackgroundLoad}). */
    private static final Duration LOAD_WAIT = Duration.ofSeconds(30);

    private static volatile MiniLm shared;
    /** The thread that loads the model in the background, once {@link #prepare} started it. */
    private static final AtomicReference<Thread> LOADER = new AtomicReference<>();

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

    @Override
    public int batchSize() {
        return 32;
    }

    /** One batch per core. */
    @Override
    public int parallelism() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Loads the model on a thread of its own (a failure is reported by the first {@link #embed(List)}).
     * A process must not exit while that load runs: see {@link #awaitBackgroundLoad()}.
     */
    @Override
    public void prepare() {
        if (shared != null || LOADER.get() != null) {
            return;
        }
        Thread loader = Threads.daemon("embed-load").newThread(() -> {
            try {
                model(fallbackCache);
            } catch (EmbeddingException e) {
                // the first call to embed loads it again and says why it cannot
            }
        });
        if (LOADER.compareAndSet(null, loader)) {
            loader.start();
        }
    }

    /**
     * Waits for a load {@link #prepare} started to end, for at most {@link #LOAD_WAIT}; call it before
     * the process exits. Hazard: ONNX Runtime frees its environment in a shutdown hook of its own,
     * so a process that exits while the session is being created crashes in native code (SIGSEGV,
     * exit code 134 and an hs_err file: 7 of 40 runs of a short scan that gave up on its only
     * files while the model loaded). Hooks run side by side, so waiting in another hook is too late.
     */
    public static void awaitBackgroundLoad() {
        Thread loader = LOADER.get();
        if (loader == null) {
            return;
        }
        try {
            loader.join(LOAD_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<float[]> embed(List<String> texts) throws EmbeddingException {
        MiniLm model = model(fallbackCache);
        try {
            List<float[]> vectors = new ArrayList<>(texts.size());
            for (String text : texts) {
                vectors.add(model.embed(text));
            }
            return vectors;
        } catch (OrtException | RuntimeException | LinkageError e) {
            throw new EmbeddingException("the local embedding model failed: " + e, e);
        }
    }

    private static MiniLm model(Path fallbackCache) throws EmbeddingException {
        MiniLm loaded = shared;
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

    private static MiniLm load(Path fallbackCache) throws EmbeddingException {
        if (System.getProperty(DJL_CACHE_PROPERTY) == null && System.getenv(DJL_CACHE_PROPERTY) == null) {
            System.setProperty(DJL_CACHE_PROPERTY, CacheFolder.choose(fallbackCache).resolve("djl").toString());
        }
        if (System.getProperty(DJL_TRACKING_PROPERTY) == null) {
            System.setProperty(DJL_TRACKING_PROPERTY, "true");
        }
        try (InputStream model = resource(MODEL); InputStream tokenizer = resource(TOKENIZER)) {
            return MiniLm.load(model, tokenizer, DIMENSION);
        } catch (IOException | OrtException | RuntimeException | LinkageError e) {
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
}
