package io.assetindex.media.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Vorbis comments (FLAC, Ogg Vorbis, Opus), named as FFmpeg names them: keys upper-cased,
 * ALBUMARTIST read as album_artist, the others kept as written (so TITLE is the probe's title).
 * A key given twice (FFmpeg joins the values with ";") or a layout that does not fit its block
 * is {@link Unsure}.
 */
final class VorbisComments {
    private VorbisComments() {}

    /** Reads the comments at {@code offset} of {@code block}: vendor, count, then "KEY=value" items. */
    static void read(byte[] block, int offset, Tags tags) throws Unsure {
        ByteBuffer in = ByteBuffer.wrap(block).order(ByteOrder.LITTLE_ENDIAN);
        in.position(offset);
        skip(in, length(in));
        long count = length(in);
        if (count > in.remaining() / 4) {
            throw new Unsure("more comments than fit the block");
        }
        for (long i = 0; i < count; i++) {
            int length = length(in);
            int start = in.position();
            skip(in, length);
            int equals = start;
            while (equals < start + length && block[equals] != '=') {
                equals++;
            }
            if (equals == start + length || equals == start) {
                continue;
            }
            String key = new String(block, start, equals - start, StandardCharsets.ISO_8859_1)
                    .toUpperCase(Locale.ROOT);
            String value = Tags.utf8(block, equals + 1, start + length - equals - 1);
            if (value.isEmpty()) {
                continue;
            }
            if (key.equals("ALBUMARTIST")) {
                tags.put("album_artist", value);
            } else {
                tags.put(key, value);
            }
        }
    }

    private static int length(ByteBuffer in) throws Unsure {
        if (in.remaining() < 4) {
            throw new Unsure("comments cut short");
        }
        long length = Integer.toUnsignedLong(in.getInt());
        if (length > in.remaining()) {
            throw new Unsure("a comment longer than its block");
        }
        return (int) length;
    }

    private static void skip(ByteBuffer in, int length) {
        in.position(in.position() + length);
    }
}
