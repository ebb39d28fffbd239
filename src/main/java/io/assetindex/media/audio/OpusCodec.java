package io.assetindex.media.audio;

import java.util.List;

/**
 * Opus in Ogg as FFmpeg reads it: 48 kHz whatever the input rate was, the OpusHead's channels
 * (mapping family 0 or 1), OpusTags, granules that count the pre-skip.
 */
final class OpusCodec extends OggCodec {
    private OpusCodec(int channels) {
        super(new Format("opus", 48_000, channels, 2));
    }

    static OpusCodec of(byte[] head) throws Unsure {
        if (head.length < 19 || (head[8] & 0xF0) != 0 || head[9] == 0 || (head[18] != 0 && head[18] != 1)) {
            throw new Unsure("an OpusHead of another version or channel mapping");
        }
        return new OpusCodec(head[9] & 0xFF);
    }

    @Override
    void header(int index, byte[] packet, Tags tags) throws Unsure {
        if (packet.length < 8 || !WavHeader.ascii(packet, 0, 8).equals("OpusTags")) {
            throw new Unsure("no OpusTags");
        }
        VorbisComments.read(packet, 8, tags);
    }

    /** The page's granule is what its packets last (their TOC bytes), or the page is the last (FFmpeg does not count it). */
    @Override
    boolean startsAtZero(List<byte[]> packets, long granule, boolean lastPage) throws Unsure {
        if (lastPage) {
            return true;
        }
        long samples = 0;
        for (byte[] opus : packets) {
            if (opus.length == 0) {
                throw new Unsure("an empty packet");
            }
            int toc = opus[0] & 0xFF;
            int config = toc >>> 3;
            int frameSize = config < 12 ? Math.max(480, 960 * (config & 3)) : config < 16 ? 480 << (config & 1)
                    : 120 << (config & 3);
            int count = toc & 3;
            if (count == 3 && opus.length < 2) {
                throw new Unsure("a packet without its frame count");
            }
            samples += (long) frameSize * (count == 0 ? 1 : count == 3 ? opus[1] & 0x3F : 2);
        }
        return granule == samples;
    }
}
