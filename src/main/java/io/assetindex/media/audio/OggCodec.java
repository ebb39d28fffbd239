package io.assetindex.media.audio;

import java.util.List;

/** What the Ogg reader needs of the codec inside: its header packets, its format, and when FFmpeg starts it at zero. */
abstract class OggCodec {
    /**
     * @param name          ffprobe's codec_name
     * @param headerPackets how many header packets come before the audio, the first included
     */
    record Format(String name, int sampleRate, int channels, int headerPackets) {}

    private final Format format;

    OggCodec(Format format) {
        this.format = format;
    }

    /** The codec of a stream from its first packet: Opus or Vorbis; anything else is {@link Unsure}. */
    static OggCodec identify(byte[] first) throws Unsure {
        if (first.length >= 8 && WavHeader.ascii(first, 0, 8).equals("OpusHead")) {
            return OpusCodec.of(first);
        }
        if (first.length >= 7 && first[0] == 1 && WavHeader.ascii(first, 1, 6).equals("vorbis")) {
            return VorbisCodec.of(first);
        }
        throw new Unsure("a codec in Ogg other than Opus and Vorbis");
    }

    final Format format() {
        return format;
    }

    /** Header packet {@code index} (1 and on), which may hold the comments. */
    abstract void header(int index, byte[] packet, Tags tags) throws Unsure;

    /**
     * Whether FFmpeg starts the stream at 0, given the packets the first audio page completes and
     * its granule position.
     */
    abstract boolean startsAtZero(List<byte[]> packets, long granule, boolean lastPage) throws Unsure;
}
