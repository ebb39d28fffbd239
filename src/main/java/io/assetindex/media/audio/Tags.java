package io.assetindex.media.audio;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tags of one file as ffprobe would show them, for the names the probe keeps. A name given
 * twice, a value that is not valid UTF-8, or a raw key that ffprobe would show as one of those
 * names is something this reader cannot settle the way ffprobe does: it is {@link Unsure}.
 */
final class Tags {
    /** The names the probe keeps (see StreamFacts), compared without case as it does. */
    static final List<String> KEPT = List.of("title", "artist", "album", "genre", "album_artist", "date");
    /** The longest tag value read; a longer one (lyrics, a picture) is not one of ours, or is odd. */
    static final int MAX_VALUE_BYTES = 64 << 10;

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Records {@code value} under ffprobe's {@code name}; names other than the kept ones are ignored. */
    void put(String name, String value) throws Unsure {
        String key = name.toLowerCase(Locale.ROOT);
        if (!KEPT.contains(key)) {
            return;
        }
        if (values.containsKey(key)) {
            throw new Unsure("the tag " + key + " is given twice");
        }
        values.put(key, value);
    }

    /** A key kept as the file spells it (not converted): refused if it would read as one of ours. */
    static void unconverted(String key) throws Unsure {
        if (KEPT.contains(key.toLowerCase(Locale.ROOT))) {
            throw new Unsure("a raw key " + key + " that reads as a kept tag");
        }
    }

    /** Only the non-blank ones, stripped, as the probe keeps them. */
    Map<String, String> kept() {
        Map<String, String> kept = new LinkedHashMap<>();
        values.forEach((key, value) -> {
            if (!value.isBlank()) {
                kept.put(key, value.strip());
            }
        });
        return kept;
    }

    /** Bytes as a C string: up to the first NUL, strict UTF-8. */
    static String cString(byte[] bytes, int offset, int length) throws Unsure {
        int end = offset;
        while (end < offset + length && bytes[end] != 0) {
            end++;
        }
        return utf8(bytes, offset, end - offset);
    }

    static String utf8(byte[] bytes, int offset, int length) throws Unsure {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Unsure("a tag that is not UTF-8");
        }
    }
}
