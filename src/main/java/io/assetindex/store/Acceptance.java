package io.assetindex.store;

import java.time.Instant;

/**
 * A content the user accepted as good despite its integrity verdict ({@code integrity accept}):
 * it is indexed anyway, wherever it is found, until revoked.
 *
 * @param contentHash the content's SHA-256
 * @param acceptedBy  the user who accepted it
 * @param host        the machine it was accepted on
 * @param note        why, as the user said it, or null
 * @param verdict     what the check had said of it then ("corrupt: … (checked by ffmpeg)"), or null
 */
public record Acceptance(String contentHash, String acceptedBy, String host, String note, String verdict,
        Instant acceptedAt) {
    /** Longest note kept. */
    public static final int MAX_NOTE_CHARS = 1000;
}
