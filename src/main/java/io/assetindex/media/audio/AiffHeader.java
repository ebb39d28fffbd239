package io.assetindex.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * AIFF and AIFF-C holding PCM, read as FFmpeg's aiff demuxer reads it: the codec from the sample
 * size (AIFF, AIFF-C "NONE" and "twos") or the compression type ("sowt", "fl32", "fl64", "alaw",
 * "ulaw"), the duration from the COMM chunk's frame count, the sample rate from its 80-bit float
 * as FFmpeg rounds it, the title from a NAME chunk.
 *
 * <p>It vouches only for a file whose FORM size is the file's, whose chunks all fit it, with COMM
 * before SSND and the sound data exactly the frames COMM declares: a cut copy, a damaged header or
 * extra chunks that change the decoding (ID3, CHAN, wave) go to ffprobe.
 */
final class AiffHeader {
    private static final Map<String, String> COMPRESSED = Map.of("sowt", "pcm_s16le", "fl32", "pcm_f32be",
            "fl64", "pcm_f64be", "alaw", "pcm_alaw", "ulaw", "pcm_mulaw");
    private static final Map<String, Integer> BYTES_PER_SAMPLE = Map.of("pcm_s8", 1, "pcm_s16be", 2, "pcm_s24be", 3,
            "pcm_s32be", 4, "pcm_s16le", 2, "pcm_f32be", 4, "pcm_f64be", 8, "pcm_alaw", 1, "pcm_mulaw", 1);
    private static final long AIFC_VERSION_1 = 0xA2805140L;

    private final FileBytes file;
    private final boolean aifc;
    private final Tags tags = new Tags();
    private String codec;
    private int channels;
    private long frames;
    private int sampleRate;
    private int blockAlign;
    private boolean sound;

    private AiffHeader(FileBytes file, boolean aifc) {
        this.file = file;
        this.aifc = aifc;
    }

    static boolean matches(byte[] head) {
        return head.length >= 12 && WavHeader.ascii(head, 0, 4).equals("FORM")
                && (WavHeader.ascii(head, 8, 4).equals("AIFF") || WavHeader.ascii(head, 8, 4).equals("AIFC"));
    }

    static HeaderFacts read(FileBytes file) throws IOException, Unsure {
        ByteBuffer form = file.big(0, 12);
        if (Integer.toUnsignedLong(form.getInt(4)) + 8 != file.size()) {
            throw new Unsure("a FORM size that is not the file's");
        }
        return new AiffHeader(file, WavHeader.ascii(form.array(), 8, 4).equals("AIFC")).read();
    }

    private HeaderFacts read() throws IOException, Unsure {
        long position = 12;
        for (int chunks = 0; position < file.size(); chunks++) {
            if (chunks >= WavHeader.MAX_CHUNKS || position + 8 > file.size()) {
                throw new Unsure(chunks >= WavHeader.MAX_CHUNKS ? "too many chunks" : "bytes after the last chunk");
            }
            ByteBuffer header = file.big(position, 8);
            String id = WavHeader.ascii(header.array(), 0, 4);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long end = position + 8 + size;
            if (size >= 0x7FFFFFFFL - 8 || end + (size & 1) > file.size()) {
                throw new Unsure("a '" + id + "' chunk declared past the end of the file");
            }
            chunk(id, position + 8, size);
            position = end + (size & 1);
        }
        if (codec == null || !sound) {
            throw new Unsure("no COMM or no SSND chunk");
        }
        long micros = Timing.micros(frames, 1, sampleRate);
        if (micros == 0) {
            throw new Unsure("no samples");
        }
        return new HeaderFacts("aiff", codec, sampleRate, channels, micros, Timing.bitRate(file.size(), micros),
                tags.kept(), List.of(), aifc ? "AIFF-C structure" : "AIFF structure", 0);
    }

    private void chunk(String id, long body, long size) throws IOException, Unsure {
        switch (id) {
            case "COMM" -> common(body, size);
            case "SSND" -> sound(body, size);
            case "NAME" -> {
                if (size > Tags.MAX_VALUE_BYTES) {
                    throw new Unsure("a long NAME chunk");
                }
                tags.put("title", Tags.cString(file.bytes(body, (int) size), 0, (int) size));
            }
            case "FVER" -> {
                if (!aifc || size < 4 || Integer.toUnsignedLong(file.big(body, 4).getInt()) != AIFC_VERSION_1) {
                    throw new Unsure("a FVER chunk of another version");
                }
            }
            case "AUTH", "(c) ", "ANNO", "MARK", "INST", "COMT", "APPL", "MIDI", "AESD" -> { }
            default -> throw new Unsure("a '" + id + "' chunk");
        }
    }

    private void common(long body, long size) throws IOException, Unsure {
        if (codec != null || size < 18 || size > 1024) {
            throw new Unsure("a second or odd COMM chunk");
        }
        ByteBuffer comm = file.big(body, (int) size);
        channels = Short.toUnsignedInt(comm.getShort(0));
        frames = Integer.toUnsignedLong(comm.getInt(2));
        int bits = Short.toUnsignedInt(comm.getShort(6));
        sampleRate = sampleRate(Short.toUnsignedInt(comm.getShort(8)), comm.getLong(10));
        codec = aifc && size >= 22 ? compressed(WavHeader.ascii(comm.array(), 18, 4), bits) : byBits(bits);
        if (frames > Integer.MAX_VALUE || channels < 1 || channels > 64) {
            throw new Unsure(channels + " channels of " + frames + " frames");
        }
        blockAlign = channels * BYTES_PER_SAMPLE.get(codec);
    }

    /** The 80-bit extended float, when it is a whole number of hertz (then FFmpeg's rounding changes nothing). */
    private static int sampleRate(int exponent, long mantissa) throws Unsure {
        int shift = 16383 + 63 - exponent;
        if (shift < 2 || shift > 63 || mantissa >= 0 || (mantissa & ((1L << shift) - 1)) != 0) {
            throw new Unsure("a sample rate that is not a whole number of hertz");
        }
        long rate = mantissa >>> shift;
        if (rate <= 0 || rate > 10_000_000) {
            throw new Unsure("a sample rate of " + rate);
        }
        return (int) rate;
    }

    private static String byBits(int bits) throws Unsure {
        return switch (bits) {
            case 8 -> "pcm_s8";
            case 16 -> "pcm_s16be";
            case 24 -> "pcm_s24be";
            case 32 -> "pcm_s32be";
            default -> throw new Unsure(bits + "-bit samples");
        };
    }

    private static String compressed(String type, int bits) throws Unsure {
        if (type.equals("NONE") || type.equals("twos")) {
            return byBits(bits);
        }
        String codec = COMPRESSED.get(type);
        if (codec == null) {
            throw new Unsure("compression type " + type);
        }
        return codec;
    }

    private void sound(long body, long size) throws IOException, Unsure {
        if (codec == null || sound || size < 8) {
            throw new Unsure("an SSND chunk before COMM, a second or a short one");
        }
        long offset = Integer.toUnsignedLong(file.big(body, 8).getInt(0));
        if (size - 8 - offset != frames * blockAlign) {
            throw new Unsure("sound data of another size than COMM declares");
        }
        sound = true;
    }
}
