package io.assetindex.ai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What is kept of what a model returns. A reply that parsed is still not trusted: its texts go
 * into asset columns, the search text, raw_json and the analysis cache, and a model (or whatever
 * answers at its URL) may send megabytes where a few words belong. So each text is cleaned
 * (control characters and runs of white space become one space, no leading or trailing space)
 * and cut to its cap, and the provider's raw reply is kept for audit only up to
 * {@link #AUDIT_REPLY_BYTES}.
 */
final class ModelOutput {
    /** The largest raw reply kept for audit; a larger one is replaced by its size and its start. */
    static final int AUDIT_REPLY_BYTES = 64 * 1024;
    /** How much of the start of a raw reply too large to keep is kept. */
    static final int AUDIT_START_CHARS = 2_000;
    private static final String ELLIPSIS = "…";

    private ModelOutput() {}

    /** One line of at most {@code maxChars} characters, ending in "…" when cut. */
    static String line(String text, int maxChars) {
        String line = collapsed(text, maxChars);
        return line.length() <= maxChars ? line : cut(line, maxChars - ELLIPSIS.length()) + ELLIPSIS;
    }

    /** A keyword: a {@link #line} in lower case, cut without a mark. */
    static String word(String text, int maxChars) {
        String word = collapsed(text, maxChars).toLowerCase(Locale.ROOT);
        return word.length() <= maxChars ? word : cut(word, maxChars);
    }

    /**
     * The reply as kept for audit: itself when its JSON is at most {@link #AUDIT_REPLY_BYTES}
     * bytes, else {@code {"omitted_bytes": N, "start": "<its first characters>"}}.
     */
    static JsonNode forAudit(JsonNode reply) {
        String text = Json.write(reply);
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= AUDIT_REPLY_BYTES) {
            return reply;
        }
        ObjectNode omitted = Json.object();
        omitted.put("omitted_bytes", bytes);
        omitted.put("start", cut(text, AUDIT_START_CHARS));
        return omitted;
    }

    /**
     * The text with control characters and white space runs made one space, stripped; at most
     * {@code maxChars + 1} characters of it (one more tells it was longer). Reads only as far
     * into {@code text} as it keeps.
     */
    private static String collapsed(String text, int maxChars) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), maxChars + 1));
        boolean space = false;
        for (int i = 0; i < text.length() && out.length() <= maxChars; i++) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                space = out.length() > 0;
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /** At most {@code maxChars} characters, never half a surrogate pair, no trailing space. */
    private static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars > 0 && Character.isHighSurrogate(text.charAt(maxChars - 1)) ? maxChars - 1 : maxChars;
        return text.substring(0, end).stripTrailing();
    }
}
