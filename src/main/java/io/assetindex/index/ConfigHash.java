package io.assetindex.index;

import java.nio.charset.StandardCharsets;

/** Builds an analyzer's {@code sha256:<hex>} configuration hash from its canonical settings text. */
public final class ConfigHash {
    private ConfigHash() {}

    public static String of(String canonicalSettings) {
        return "sha256:" + Sha256Hasher.hex(canonicalSettings.getBytes(StandardCharsets.UTF_8));
    }
}
