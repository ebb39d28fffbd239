package io.assetindex.index;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Builds an analyzer's {@code sha256:<hex>} configuration hash from its canonical settings text. */
public final class ConfigHash {
    private ConfigHash() {}

    public static String of(String canonicalSettings) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(canonicalSettings.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
