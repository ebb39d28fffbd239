package io.assetindex.embed;

import io.assetindex.config.EmbeddingSettings;
import java.nio.file.Path;
import java.util.function.Function;

/** Makes the embedder the settings ask for. */
public final class Embedders {
    private Embedders() {}

    /**
     * @param environment   reads environment variables (the API key's)
     * @param fallbackCache where native libraries go when the user's cache folder is not writable
     */
    public static Embedder create(EmbeddingSettings settings, Function<String, String> environment, Path fallbackCache) {
        return EmbeddingSettings.LOCAL.equals(settings.provider()) ? new LocalEmbedder(fallbackCache)
                : new OpenAiEmbedder(settings, environment);
    }
}
