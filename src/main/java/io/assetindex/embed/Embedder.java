package io.assetindex.embed;

import java.util.List;

/**
 * Turns texts into vectors. Implementations are thread-safe; vectors of one embedder all
 * have the same dimension.
 */
public interface Embedder {

    /** The model's name, as recorded on assets ({@code embed_model}) and in the index. */
    String model();

    /**
     * Settings that decide which vectors come out, as a stable JSON-able map (no secrets); equal
     * identities give interchangeable vectors, and an index records the identity of its vectors.
     */
    java.util.Map<String, Object> identity();

    /** How many texts {@link #embed(List)} should get at once (a remote API's batch). */
    default int batchSize() {
        return 1;
    }

    /** How many {@link #embed(List)} calls may usefully run at once (the cores of an in-process model). */
    default int parallelism() {
        return 1;
    }

    /**
     * Starts loading in the background what the first {@link #embed(List)} would wait for (an
     * in-process model), so that it overlaps other work; nothing when there is nothing to load.
     */
    default void prepare() {
    }

    /** One vector per text, in order. */
    List<float[]> embed(List<String> texts) throws EmbeddingException;

    default float[] embed(String text) throws EmbeddingException {
        return embed(List.of(text)).get(0);
    }
}
