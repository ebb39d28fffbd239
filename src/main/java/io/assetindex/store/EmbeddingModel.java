package io.assetindex.store;

/**
 * A model whose vectors the index holds: the {@code active} one (in assets_vec, searched) or
 * the one being {@code building} after a settings change (in assets_vec_next, until every
 * asset has its vector, then swapped in).
 *
 * @param identityJson how to make the same embedder again (provider, model, URL, dimensions; no secrets)
 */
public record EmbeddingModel(String configHash, String model, int dimension, String identityJson, String state) {
    public static final String ACTIVE = "active";
    public static final String BUILDING = "building";
}
