package io.assetindex.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * MP3 (MPEG-1, 2 and 2.5 layer III) with the Xing or Info header and LAME tag that LAME and
 * FFmpeg write, read as FFmpeg's mp3 demuxer reads it: the duration from the header's frame count
 * less the encoder delay and padding, sample rate and channels from the frames, tags from ID3v2.
 *
 * <p>Verified: every frame header follows the one before in the same format to the end of the
 * file, their count is the header's, the header's byte count is the file's, the LAME tag's CRC is
 * right and so is its CRC of all the audio frames, so a flipped bit anywhere in the audio is
 * caught. A file without that tag (no CRC: a damaged first frame would only show when ffprobe
 * decodes it), with a VBRI header, free-format frames, an ID3v1 or APE tag at the end, or
 * anything that does not add up, is left to ffprobe.
 */
final class Mp3Stream {
    private static final int[][] BIT_RATES = {
            {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320},
            {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}};
    private static final int[] SAMPLE_RATES = {44100, 48000, 32000};
    private static final int XING_FRAMES = 1;
    private static final int XING_BYTES = 2;
    private static final int XING_TOC = 4;
    private static final int XING_QUALITY = 8;

    private final FileBytes file;
    private final Tags tags = new Tags();

    /** One frame header: its length in bytes and what it says. */
    private record Frame(int header, int length, int sampleRate, boolean mono, boolean mpeg1) {
        int samples() {
            return mpeg1 ? 1152 : 576;
        }

        /** Where the Xing header starts: after the 4-byte header and the side information. */
        int xingOffset() {
            return 4 + (mpeg1 ? (mono ? 17 : 32) : (mono ? 9 : 17));
        }
    }

    private Mp3Stream(FileBytes file) {
        this.file = file;
    }

    /** An ID3v2 tag, or a layer III frame header, at the start. */
    static boolean matches(byte[] head) {
        return head.length >= 4 && (WavHeader.ascii(head, 0, 3).equals("ID3")
                || frame(ByteBuffer.wrap(head).getInt(0)) != null);
    }

    static HeaderFacts read(FileBytes file) throws IOException, Unsure {
        return new Mp3Stream(file).read();
    }

    private HeaderFacts read() throws IOException, Unsure {
        long start = Id3v2Tag.read(file, tags);
        Frame info = frameAt(start);
        byte[] head = file.bytes(start, info.length());
        ByteBuffer in = ByteBuffer.wrap(head);
        int x = info.xingOffset();
        String kind = WavHeader.ascii(head, x, 4);
        if (!kind.equals("Xing") && !kind.equals("Info")) {
            throw new Unsure("no Xing or Info header");
        }
        int flags = in.getInt(x + 4);
        if ((flags & (XING_FRAMES | XING_BYTES)) != (XING_FRAMES | XING_BYTES)) {
            throw new Unsure("a Xing header without frame and byte counts");
        }
        long frames = Integer.toUnsignedLong(in.getInt(x + 8));
        long bytes = Integer.toUnsignedLong(in.getInt(x + 12));
        int lame = x + 16 + ((flags & XING_TOC) != 0 ? 100 : 0) + ((flags & XING_QUALITY) != 0 ? 4 : 0);
        if (lame + 36 > head.length || bytes != file.size() - start || frames == 0) {
            throw new Unsure("a Xing header that does not describe this file, or no room for a LAME tag");
        }
        String encoder = WavHeader.ascii(head, lame, 4);
        if (!encoder.equals("LAME") && !encoder.equals("Lavf") && !encoder.equals("Lavc") || !tagCrcHolds(head, lame)) {
            throw new Unsure("no LAME tag with a valid CRC");
        }
        int padding = in.getInt(lame + 20) & 0xFFFFFF;
        int delay = padding >>> 12;
        int end = padding & 0xFFF;
        verifyFrames(info, start + info.length(), frames, Short.toUnsignedInt(in.getShort(lame + 32)));
        long samples = frames * info.samples() - delay - end;
        long micros = Timing.micros(samples, 1, info.sampleRate());
        return new HeaderFacts("mp3", "mp3", info.sampleRate(), info.mono() ? 1 : 2, micros,
                Timing.bitRate(file.size(), micros), tags.kept(), List.of(), "MP3 frames + CRC", 0);
    }

    /** Walks the audio frames to the end of the file: their count, their format, the CRC of their bytes. */
    private void verifyFrames(Frame info, long first, long frames, int musicCrc) throws IOException, Unsure {
        SequentialBytes in = new SequentialBytes(file);
        long position = first;
        int crc = 0;
        for (long count = 0; position < file.size(); count++) {
            if (count >= frames || position + 4 > file.size()) {
                throw new Unsure("more frames than the header counts, or bytes after the last");
            }
            int header = in.get(position) << 24 | in.get(position + 1) << 16 | in.get(position + 2) << 8
                    | in.get(position + 3);
            Frame frame = frame(header);
            if (frame == null || frame.sampleRate() != info.sampleRate() || frame.mono() != info.mono()
                    || frame.mpeg1() != info.mpeg1() || position + frame.length() > file.size()) {
                throw new Unsure("a frame that does not follow at " + position);
            }
            for (long i = position; i < position + frame.length(); i++) {
                crc = Crc.crc16Arc(crc, in.get(i));
            }
            position += frame.length();
            if (position == file.size() && count + 1 != frames) {
                throw new Unsure("fewer frames than the header counts");
            }
        }
        if (crc != musicCrc) {
            throw new Unsure("the audio frames fail the LAME tag's CRC");
        }
    }

    private Frame frameAt(long position) throws IOException, Unsure {
        Frame frame = frame(file.big(position, 4).getInt());
        if (frame == null) {
            throw new Unsure("no MP3 frame where the audio starts");
        }
        return frame;
    }

    /** A layer III frame header with a known bit rate and sample rate, or null. */
    static Frame frame(int header) {
        int version = (header >>> 19) & 3;
        int layer = (header >>> 17) & 3;
        int bitRateIndex = (header >>> 12) & 15;
        int rateIndex = (header >>> 10) & 3;
        if ((header & 0xFFE00000) != 0xFFE00000 || version == 1 || layer != 1 || bitRateIndex == 0
                || bitRateIndex == 15 || rateIndex == 3 || (header & 3) == 2) {
            return null;
        }
        boolean mpeg1 = version == 3;
        int sampleRate = SAMPLE_RATES[rateIndex] >> (mpeg1 ? 0 : version == 2 ? 1 : 2);
        int bitRate = BIT_RATES[mpeg1 ? 0 : 1][bitRateIndex] * 1000;
        int padding = (header >>> 9) & 1;
        int length = (mpeg1 ? 144 : 72) * bitRate / sampleRate + padding;
        return new Frame(header, length, sampleRate, ((header >>> 6) & 3) == 3, mpeg1);
    }

    /**
     * The LAME tag's own CRC: of the bytes before the field (LAME's description, where the tag ends
     * at byte 190 as in MPEG-1 stereo), or as FFmpeg writes it, of the frame's first 190 bytes with
     * the field and whatever lies past a shorter frame counted as zeros.
     */
    private static boolean tagCrcHolds(byte[] frame, int lame) {
        int stored = (frame[lame + 34] & 0xFF) << 8 | frame[lame + 35] & 0xFF;
        int before = 0;
        for (int i = 0; i < lame + 34; i++) {
            before = Crc.crc16Arc(before, frame[i] & 0xFF);
        }
        if (before == stored) {
            return true;
        }
        int zeroed = 0;
        for (int i = 0; i < 190; i++) {
            zeroed = Crc.crc16Arc(zeroed, i >= frame.length || i == lame + 34 || i == lame + 35 ? 0 : frame[i] & 0xFF);
        }
        return zeroed == stored;
    }
}
