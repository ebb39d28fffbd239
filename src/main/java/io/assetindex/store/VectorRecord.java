package io.assetindex.store;

/** A vector to store for an asset, with the model that made it. */
public record VectorRecord(String configHash, String model, String identityJson, float[] vector) {}
