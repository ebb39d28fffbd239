package io.assetindex.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * An ID3v2.3 or v2.4 tag at the start of a file, its text frames named as FFmpeg names them (TIT2
 * title, TPE1 artist, TALB album, TCON genre, TPE2 album_artist, TDRC and TDRL date). What FFmpeg
 * reads differently from the plain text is {@link Unsure}: ID3v2.2, unsynchronisation, an extended
 * header, frame flags (compression, encryption), several values in one frame, numeric genres
 * (FFmpeg names them), v2.3 dates (FFmpeg merges TYER and TDAT), a TXXX frame named like a kept
 * tag, a second tag after the first, a frame that does not end where the next one starts.
 */
final class Id3v2Tag {
    private static final Map<String, String> NAMES = Map.of("TIT2", "title", "TPE1", "artist", "TALB", "album",
            "TCON", "genre", "TPE2", "album_artist", "TDRC", "date", "TDRL", "date");
    private static final Set<String> MERGED_DATES = Set.of("TYER", "TDAT", "TIME", "TRDA", "TORY");
    private static final int FOOTER = 0x10;

    private Id3v2Tag() {}

    /** Reads the tag at the start of the file into {@code tags}; returns where the audio starts (0 without a tag). */
    static long read(FileBytes file, Tags tags) throws IOException, Unsure {
        if (file.size() < 10 || !WavHeader.ascii(file.bytes(0, 3), 0, 3).equals("ID3")) {
            return 0;
        }
        byte[] header = file.bytes(0, 10);
        int version = header[3];
        if ((version != 3 && version != 4) || (header[5] & ~FOOTER) != 0 || (version == 3 && header[5] != 0)) {
            throw new Unsure("an ID3v2." + version + " tag with flags " + header[5]);
        }
        long end = 10 + syncsafe(header, 6) + ((header[5] & FOOTER) != 0 ? 10 : 0);
        if (end + 4 > file.size()) {
            throw new Unsure("an ID3 tag longer than the file");
        }
        long framesEnd = (header[5] & FOOTER) != 0 ? end - 10 : end;
        long position = 10;
        for (int frames = 0; position + 10 <= framesEnd; frames++) {
            byte[] frame = file.bytes(position, 10);
            if (frame[0] == 0) {
                break;
            }
            String id = WavHeader.ascii(frame, 0, 4);
            long size = version == 4 ? syncsafe(frame, 4) : Integer.toUnsignedLong(ByteBuffer.wrap(frame).getInt(4));
            if (frames >= WavHeader.MAX_CHUNKS || !id.matches("[A-Z0-9]{4}") || frame[8] != 0 || frame[9] != 0
                    || position + 10 + size > framesEnd) {
                throw new Unsure("an ID3 frame '" + id + "' that FFmpeg may read otherwise");
            }
            frame(file, id, position + 10, size, tags);
            position += 10 + size;
        }
        if (file.size() >= end + 3 && WavHeader.ascii(file.bytes(end, 3), 0, 3).equals("ID3")) {
            throw new Unsure("a second ID3 tag");
        }
        return end;
    }

    private static void frame(FileBytes file, String id, long body, long size, Tags tags) throws IOException, Unsure {
        if (MERGED_DATES.contains(id)) {
            throw new Unsure("a date FFmpeg merges from several frames");
        }
        String name = NAMES.get(id);
        if (name == null && !id.equals("TXXX")) {
            return;
        }
        if (size < 1 || size > Tags.MAX_VALUE_BYTES) {
            throw new Unsure("an empty or long text frame");
        }
        byte[] bytes = file.bytes(body, (int) size);
        if (id.equals("TXXX")) {
            Tags.unconverted(text(bytes, false));
            return;
        }
        String value = text(bytes, true);
        if (id.equals("TCON") && value.matches("\\(?\\d.*")) {
            throw new Unsure("a numeric genre");
        }
        tags.put(name, value);
    }

    /** The frame's first string; with {@code only}, it must be the only one. */
    private static String text(byte[] frame, boolean only) throws Unsure {
        Charset charset = switch (frame[0]) {
            case 0 -> StandardCharsets.ISO_8859_1;
            case 1 -> StandardCharsets.UTF_16;
            case 2 -> StandardCharsets.UTF_16BE;
            case 3 -> StandardCharsets.UTF_8;
            default -> throw new Unsure("a text encoding " + frame[0]);
        };
        int unit = frame[0] == 1 || frame[0] == 2 ? 2 : 1;
        if (frame[0] == 1 && (frame.length < 3 || (frame[1] & 0xFE) != 0xFE || (frame[2] & 0xFE) != 0xFE
                || frame[1] == frame[2])) {
            throw new Unsure("UTF-16 text without its byte order mark");
        }
        int end = 1;
        while (end + unit <= frame.length && !(frame[end] == 0 && frame[end + unit - 1] == 0)) {
            end += unit;
        }
        for (int i = end; only && i < frame.length; i++) {
            if (frame[i] != 0) {
                throw new Unsure("several values in one text frame");
            }
        }
        try {
            return charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(frame, 1, end - 1))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Unsure("a text frame that does not decode");
        }
    }

    private static long syncsafe(byte[] bytes, int offset) throws Unsure {
        long value = 0;
        for (int i = offset; i < offset + 4; i++) {
            if ((bytes[i] & 0x80) != 0) {
                throw new Unsure("a size that is not syncsafe");
            }
            value = value << 7 | bytes[i];
        }
        return value;
    }
}
