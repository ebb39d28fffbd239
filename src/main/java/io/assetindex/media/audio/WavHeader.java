package io.assetindex.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * WAV (RIFF and RF64, with BWF's bext chunk) holding PCM, read as FFmpeg's wav demuxer reads it:
 * the codec from the format tag and sample size, the duration from the data chunk's size, the
 * tags from LIST/INFO (INAM title, IART artist, IPRD album, IGNR genre, ICRD date) and bext's
 * origination date.
 *
 * <p>It vouches only for a file whose chunks fit it exactly: one fmt chunk before one data
 * chunk, every chunk inside the file, the data a whole number of sample frames, at most
 * {@link #MAX_CHUNKS} chunks. That is also its integrity check, the one ffprobe's demux makes of
 * PCM: samples carry no checksum, so what can be damaged is the structure (a cut copy has less
 * data than its header declares). Anything else (compressed codecs, a data size of 0 or
 * 0xFFFFFFFF as a recorder leaves it, an ID3 chunk, S/PDIF or DTS inside the PCM, a fact chunk
 * that disagrees) is left to ffprobe.
 */
final class WavHeader {
    static final int MAX_CHUNKS = 1_000;
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_ALAW = 6;
    private static final int FORMAT_MULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    /** The last 12 bytes of a WAVE_FORMAT_EXTENSIBLE subformat GUID whose first 2 are a format tag. */
    private static final byte[] SUBFORMAT_TAIL = {0, 0, 0, 0, 0x10, 0, (byte) 0x80, 0, 0, (byte) 0xAA, 0, 0x38,
            (byte) 0x9B, 0x71};
    private static final Map<String, String> INFO_NAMES = Map.of("INAM", "title", "IART", "artist", "IPRD", "album",
            "IGNR", "genre", "ICRD", "date");
    /** How much of the samples is searched for S/PDIF and DTS sync words (FFmpeg probes 32 packets of 4 KiB). */
    private static final int SYNC_SEARCH_BYTES = 128 << 10;
    private static final int BEXT_BYTES = 602;

    private final FileBytes file;
    private final Tags tags = new Tags();
    private Format format;
    private long dataStart = -1;
    private long dataSize;
    private long declaredSamples;

    private record Format(String codec, int channels, int sampleRate, int blockAlign, int bitsPerSample) {}

    private WavHeader(FileBytes file) {
        this.file = file;
    }

    static boolean matches(byte[] head) {
        String riff = ascii(head, 0, 4);
        return head.length >= 12 && (riff.equals("RIFF") || riff.equals("RF64")) && ascii(head, 8, 4).equals("WAVE");
    }

    static HeaderFacts read(FileBytes file) throws IOException, Unsure {
        return new WavHeader(file).read();
    }

    private HeaderFacts read() throws IOException, Unsure {
        if (actVoiceFile()) {
            throw new Unsure("the header of an ACT voice file, which FFmpeg reads as one");
        }
        boolean rf64 = ascii(file.bytes(0, 4), 0, 4).equals("RF64");
        long position = 12;
        long rf64DataSize = -1;
        if (rf64) {
            ByteBuffer ds64 = file.little(12, 36);
            if (!ascii(ds64.array(), 0, 4).equals("ds64") || Integer.toUnsignedLong(ds64.getInt(4)) < 24) {
                throw new Unsure("an RF64 file without its ds64 chunk");
            }
            rf64DataSize = ds64.getLong(16);
            declaredSamples = ds64.getLong(24);
            if (rf64DataSize < 0 || declaredSamples < 0) {
                throw new Unsure("negative sizes in ds64");
            }
            position = 20 + Integer.toUnsignedLong(ds64.getInt(4));
        }
        for (int chunks = 0; position < file.size(); chunks++) {
            if (chunks >= MAX_CHUNKS || position + 8 > file.size()) {
                throw new Unsure(chunks >= MAX_CHUNKS ? "too many chunks" : "bytes after the last chunk");
            }
            ByteBuffer header = file.little(position, 8);
            String id = ascii(header.array(), 0, 4);
            long size = Integer.toUnsignedLong(header.getInt(4));
            long body = position + 8;
            if (id.equals("data")) {
                size = dataChunk(rf64 ? rf64DataSize : size, body);
            }
            long end = body + size;
            if (end > file.size()) {
                throw new Unsure("a '" + id + "' chunk declared past the end of the file");
            }
            chunk(id, body, size);
            position = end == file.size() ? end : end + (end & 1);
        }
        if (format == null || dataStart < 0) {
            throw new Unsure("no fmt or no data chunk");
        }
        return facts();
    }

    /** FFmpeg's ACT probe: a 16-byte fmt chunk, zeros from 44 to 255 and from 264 to 511, 0x84 at 256. */
    private boolean actVoiceFile() throws IOException, Unsure {
        if (file.size() < 512) {
            return false;
        }
        byte[] head = file.bytes(0, 512);
        if (ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(16) != 16 || head[256] != (byte) 0x84) {
            return false;
        }
        for (int i = 44; i < 512; i++) {
            if (head[i] != 0 && (i < 256 || i >= 264)) {
                return false;
            }
        }
        return true;
    }

    private long dataChunk(long size, long body) throws Unsure {
        if (format == null || dataStart >= 0) {
            throw new Unsure("a data chunk before the fmt chunk, or a second one");
        }
        if (size == 0 || size == 0xFFFFFFFFL) {
            throw new Unsure("a data chunk of unknown size");
        }
        dataStart = body;
        dataSize = size;
        return size;
    }

    private void chunk(String id, long body, long size) throws IOException, Unsure {
        switch (id) {
            case "fmt " -> format(body, size);
            case "fact" -> {
                if (size < 4) {
                    throw new Unsure("a short fact chunk");
                }
                if (declaredSamples == 0) {
                    declaredSamples = Integer.toUnsignedLong(file.little(body, 4).getInt());
                }
            }
            case "bext" -> bext(body, size);
            case "LIST" -> list(body, size);
            case "data" -> { }
            case "ID3 ", "id3 ", "SMV0", "XMA2", "ds64" -> throw new Unsure("a '" + id + "' chunk");
            default -> { }
        }
    }

    private void format(long body, long size) throws IOException, Unsure {
        if (format != null || size < 16 || size > 1024) {
            throw new Unsure("a second or odd fmt chunk");
        }
        ByteBuffer fmt = file.little(body, (int) size);
        int tag = Short.toUnsignedInt(fmt.getShort(0));
        int channels = Short.toUnsignedInt(fmt.getShort(2));
        long sampleRate = Integer.toUnsignedLong(fmt.getInt(4));
        int blockAlign = Short.toUnsignedInt(fmt.getShort(12));
        int bits = Short.toUnsignedInt(fmt.getShort(14));
        int extension = size >= 18 ? Short.toUnsignedInt(fmt.getShort(16)) : 0;
        if (tag == FORMAT_EXTENSIBLE) {
            tag = extensible(fmt, size, extension, channels, bits);
        } else if (extension != 0) {
            throw new Unsure("extra format bytes");
        }
        String codec = codec(tag, bits);
        int bytesPerSample = bits / 8;
        if (channels < 1 || channels > 64 || sampleRate < 1 || sampleRate > 10_000_000
                || blockAlign != channels * bytesPerSample) {
            throw new Unsure("a format of " + channels + " channels, " + sampleRate + " Hz, blocks of " + blockAlign);
        }
        format = new Format(codec, channels, (int) sampleRate, blockAlign, bits);
    }

    /** The format tag inside WAVE_FORMAT_EXTENSIBLE, when it is plain: valid bits = container bits, one mask bit per channel. */
    private static int extensible(ByteBuffer fmt, long size, int extension, int channels, int bits) throws Unsure {
        if (size < 40 || extension < 22) {
            throw new Unsure("a short extensible format");
        }
        int validBits = Short.toUnsignedInt(fmt.getShort(18));
        int mask = fmt.getInt(20);
        for (int i = 0; i < SUBFORMAT_TAIL.length; i++) {
            if (fmt.get(26 + i) != SUBFORMAT_TAIL[i]) {
                throw new Unsure("a subformat GUID of another family");
            }
        }
        if ((validBits != 0 && validBits != bits) || (mask != 0 && Integer.bitCount(mask) != channels)) {
            throw new Unsure("valid bits or channel mask that differ from the container");
        }
        return Short.toUnsignedInt(fmt.getShort(24));
    }

    private static String codec(int tag, int bits) throws Unsure {
        String codec = switch (tag) {
            case FORMAT_PCM -> switch (bits) {
                case 8 -> "pcm_u8";
                case 16 -> "pcm_s16le";
                case 24 -> "pcm_s24le";
                case 32 -> "pcm_s32le";
                case 64 -> "pcm_s64le";
                default -> null;
            };
            case FORMAT_FLOAT -> bits == 32 ? "pcm_f32le" : bits == 64 ? "pcm_f64le" : null;
            case FORMAT_ALAW -> bits == 8 ? "pcm_alaw" : null;
            case FORMAT_MULAW -> bits == 8 ? "pcm_mulaw" : null;
            default -> null;
        };
        if (codec == null) {
            throw new Unsure("format tag " + tag + " with " + bits + " bits");
        }
        return codec;
    }

    /** bext: description, originator, reference, origination date (10 bytes at 320), time ... 602 bytes at least. */
    private void bext(long body, long size) throws IOException, Unsure {
        if (size < BEXT_BYTES) {
            throw new Unsure("a short bext chunk");
        }
        byte[] date = file.bytes(body + 320, 10);
        tags.put("date", Tags.cString(date, 0, date.length));
    }

    private void list(long body, long size) throws IOException, Unsure {
        if (size < 4) {
            throw new Unsure("a short LIST chunk");
        }
        if (!ascii(file.bytes(body, 4), 0, 4).equals("INFO")) {
            return;
        }
        long position = body + 4;
        long end = body + size;
        for (int items = 0; position + 8 <= end; items++) {
            ByteBuffer header = file.little(position, 8);
            String key = ascii(header.array(), 0, 4);
            long length = Integer.toUnsignedLong(header.getInt(4));
            long padded = length + (length & 1);
            if (items >= MAX_CHUNKS || header.getInt(0) == 0 || padded > end - position - 8
                    || length > Tags.MAX_VALUE_BYTES) {
                throw new Unsure("an INFO item that does not fit its list");
            }
            String name = INFO_NAMES.get(key.toUpperCase(Locale.ROOT));
            if (name != null) {
                tags.put(name, Tags.cString(file.bytes(position + 8, (int) length), 0, (int) length));
            } else {
                Tags.unconverted(key);
            }
            position += 8 + padded;
        }
        if (position != end) {
            throw new Unsure("bytes after the last INFO item");
        }
    }

    private HeaderFacts facts() throws IOException, Unsure {
        if (dataSize % format.blockAlign() != 0) {
            throw new Unsure("data that is not a whole number of sample frames");
        }
        long samples = dataSize * 8 / ((long) format.channels() * format.bitsPerSample());
        if (declaredSamples != 0 && declaredSamples != samples) {
            throw new Unsure("a declared sample count that differs from the data");
        }
        if (format.codec().equals("pcm_s16le")) {
            noCompressedAudioInside();
        }
        long micros = Timing.micros(samples, 1, format.sampleRate());
        if (micros == 0) {
            throw new Unsure("no samples");
        }
        return new HeaderFacts("wav", format.codec(), format.sampleRate(), format.channels(), micros,
                Timing.bitRate(file.size(), micros), tags.kept(), List.of(), "WAV structure", 0);
    }

    /**
     * 16-bit PCM may carry AC-3 or DTS (S/PDIF framing, DTS CDs), which FFmpeg probes for and then
     * reports as that codec: their sync words send the file to ffprobe.
     */
    private void noCompressedAudioInside() throws IOException, Unsure {
        int length = (int) Math.min(dataSize, SYNC_SEARCH_BYTES);
        byte[] samples = file.bytes(dataStart, length);
        for (int i = 0; i + 4 <= length; i++) {
            int word = ((samples[i] & 0xFF) << 24) | ((samples[i + 1] & 0xFF) << 16) | ((samples[i + 2] & 0xFF) << 8)
                    | (samples[i + 3] & 0xFF);
            if (word == 0x72F81F4E || word == 0xF8724E1F || word == 0x7FFE8001 || word == 0xFE7F0180
                    || word == 0x1FFFE800 || word == 0xFF1F00E8) {
                throw new Unsure("S/PDIF or DTS sync words in the samples");
            }
        }
    }

    static String ascii(byte[] bytes, int offset, int length) {
        return bytes.length < offset + length ? "" : new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }
}
