package io.assetindex.testing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 computed by the JDK alone, to check the program's hashes against. */
public final class Sha256 {
    private Sha256() {}

    /** Lowercase hex. */
    public static String hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code sha256:<hex>} of the text's UTF-8 bytes: what a config hash must be. */
    public static String ofText(String text) {
        return "sha256:" + hex(text.getBytes(StandardCharsets.UTF_8));
    }
}
