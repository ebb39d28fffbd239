package io.assetindex.media.audio;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Native FLAC, read as FFmpeg's flac demuxer reads it (sample rate, channels and the duration
 * from STREAMINFO, tags from the Vorbis comment block) and verified frame by frame: every frame
 * header valid with its CRC-8, every frame's CRC-16 right, frames numbered without a gap, their
 * samples adding up to STREAMINFO's total, and the last frame ending where the file ends. A frame
 * cannot be found without its CRC matching, so a flipped bit or a cut anywhere in the file is
 * caught (stronger than ffprobe's demux, which reads such files without a message); such a file,
 * or anything odd (an ID3 tag, a cue sheet, no total, frames that change the format), is left to
 * ffprobe. The MD5 of the decoded audio is not checked (that needs a decoder).
 */
final class FlacStream {
    private static final int STREAMINFO = 0;
    private static final int VORBIS_COMMENT = 4;
    private static final int CUESHEET = 5;
    private static final int[] RATES = {0, 88200, 176400, 192000, 8000, 16000, 22050, 24000, 32000, 44100, 48000,
            96000};
    private static final int[] BITS = {0, 8, 12, -1, 16, 20, 24, 32};

    private final FileBytes file;
    private final Tags tags = new Tags();
    private int minBlock;
    private int maxBlock;
    private int sampleRate;
    private int channels;
    private int bits;
    private long totalSamples;

    private FlacStream(FileBytes file) {
        this.file = file;
    }

    static boolean matches(byte[] head) {
        return head.length >= 4 && WavHeader.ascii(head, 0, 4).equals("fLaC");
    }

    static HeaderFacts read(FileBytes file) throws IOException, Unsure {
        return new FlacStream(file).read();
    }

    private HeaderFacts read() throws IOException, Unsure {
        long frames = metadata();
        verifyFrames(frames);
        long micros = Timing.micros(totalSamples, 1, sampleRate);
        return new HeaderFacts("flac", "flac", sampleRate, channels, micros, Timing.bitRate(file.size(), micros),
                tags.kept(), List.of(), "FLAC frames + CRC", 0);
    }

    /** Reads the metadata blocks; returns where the first frame starts. */
    private long metadata() throws IOException, Unsure {
        long position = 4;
        for (int blocks = 0; ; blocks++) {
            ByteBuffer header = file.big(position, 4);
            int type = header.get(0) & 0x7F;
            boolean last = (header.get(0) & 0x80) != 0;
            int length = header.getInt(0) & 0xFFFFFF;
            long body = position + 4;
            if (blocks >= WavHeader.MAX_CHUNKS || body + length > file.size() || (blocks == 0) != (type == STREAMINFO)
                    || type == CUESHEET || type > 6) {
                throw new Unsure("metadata block " + blocks + " of type " + type + " and " + length + " bytes");
            }
            if (type == STREAMINFO) {
                streamInfo(file.big(body, length));
            } else if (type == VORBIS_COMMENT) {
                VorbisComments.read(file.bytes(body, length), 0, tags);
            }
            position = body + length;
            if (last) {
                return position;
            }
        }
    }

    private void streamInfo(ByteBuffer info) throws Unsure {
        if (info.capacity() != 34) {
            throw new Unsure("a STREAMINFO of " + info.capacity() + " bytes");
        }
        minBlock = Short.toUnsignedInt(info.getShort(0));
        maxBlock = Short.toUnsignedInt(info.getShort(2));
        long packed = info.getLong(10);
        sampleRate = (int) (packed >>> 44);
        channels = (int) ((packed >>> 41) & 7) + 1;
        bits = (int) ((packed >>> 36) & 31) + 1;
        totalSamples = packed & 0xFFFFFFFFFL;
        if (sampleRate == 0 || totalSamples == 0 || minBlock < 16 || maxBlock < minBlock) {
            throw new Unsure("a STREAMINFO without rate or total, or with odd block sizes");
        }
    }

    private void verifyFrames(long first) throws IOException, Unsure {
        SequentialBytes in = new SequentialBytes(file);
        long size = file.size();
        long samples = 0;
        long number = 0;
        long start = first;
        Frame frame = header(in, start, number, samples);
        if (frame == null) {
            throw new Unsure("no frame where the metadata ends");
        }
        int crc = 0;
        for (long position = start; ; position++) {
            if (position == size) {
                if (crc != 0) {
                    throw new Unsure("the last frame fails its CRC-16 (cut short?)");
                }
                samples += frame.blockSize();
                break;
            }
            int value = in.get(position);
            if (position > start + frame.headerBytes() && crc == 0 && value == 0xFF) {
                Frame next = header(in, position, number + 1, samples + frame.blockSize());
                if (next != null) {
                    if (frame.blockSize() != maxBlock && minBlock == maxBlock) {
                        throw new Unsure("a frame shorter than the fixed block size before the last one");
                    }
                    samples += frame.blockSize();
                    number++;
                    start = position;
                    frame = next;
                }
            }
            crc = Crc.crc16(crc, value);
        }
        if (samples != totalSamples) {
            throw new Unsure("frames of " + samples + " samples where STREAMINFO declares " + totalSamples);
        }
    }

    /** A frame's block size and header length. */
    private record Frame(int blockSize, int headerBytes) {}

    /** The frame header at {@code at} if it is valid, numbered as expected and in the stream's format; else null. */
    private Frame header(SequentialBytes in, long at, long frameNumber, long sampleNumber) throws IOException {
        long size = in.size();
        if (at + 6 > size || in.get(at) != 0xFF || (in.get(at + 1) & 0xFE) != 0xF8) {
            return null;
        }
        boolean variable = (in.get(at + 1) & 1) != 0;
        int blockCode = in.get(at + 2) >>> 4;
        int rateCode = in.get(at + 2) & 15;
        int channelCode = in.get(at + 3) >>> 4;
        int bitsCode = (in.get(at + 3) >>> 1) & 7;
        if (blockCode == 0 || rateCode == 15 || channelCode > 10 || BITS[bitsCode] < 0 || (in.get(at + 3) & 1) != 0) {
            return null;
        }
        long position = at + 4;
        int first = in.get(position++);
        int extra = first < 0x80 ? 0 : first == 0xFE ? 6 : Integer.numberOfLeadingZeros(~first << 24) - 1;
        if (first == 0xFF || (first >= 0x80 && first < 0xC0) || position + extra > size) {
            return null;
        }
        long coded = extra == 0 ? first : first & (0x3F >> extra);
        for (int i = 0; i < extra; i++) {
            int next = in.get(position++);
            if ((next & 0xC0) != 0x80) {
                return null;
            }
            coded = coded << 6 | (next & 0x3F);
        }
        int blockSize = switch (blockCode) {
            case 1 -> 192;
            case 2, 3, 4, 5 -> 576 << (blockCode - 2);
            case 6 -> position < size ? in.get(position++) + 1 : -1;
            case 7 -> position + 1 < size ? (in.get(position++) << 8 | in.get(position++)) + 1 : -1;
            default -> 256 << (blockCode - 8);
        };
        int rate = rateCode == 0 ? sampleRate : rateCode < RATES.length ? RATES[rateCode] : -1;
        if (rateCode >= 12 && position + (rateCode == 12 ? 0 : 1) < size) {
            int value = rateCode == 12 ? in.get(position++) : in.get(position++) << 8 | in.get(position++);
            rate = rateCode == 12 ? value * 1000 : rateCode == 13 ? value : value * 10;
        }
        int frameChannels = channelCode < 8 ? channelCode + 1 : 2;
        int frameBits = bitsCode == 0 ? bits : BITS[bitsCode];
        if (position >= size || blockSize <= 0 || rate != sampleRate || frameChannels != channels || frameBits != bits
                || coded != (variable ? sampleNumber : frameNumber) || blockSize > maxBlock) {
            return null;
        }
        int crc = 0;
        for (long i = at; i < position; i++) {
            crc = Crc.crc8(crc, in.get(i));
        }
        return crc == in.get(position) ? new Frame(blockSize, (int) (position + 1 - at)) : null;
    }
}
