package io.assetindex.media.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * Vorbis in Ogg as FFmpeg reads it: the identification header's rate and channels, the comment
 * header's tags, and the packet durations of the first audio page from the setup header's modes,
 * found as FFmpeg's Vorbis parser finds them (read backwards from the end of the setup header).
 * A setup header whose modes it cannot find that way is {@link Unsure}.
 */
final class VorbisCodec extends OggCodec {
    /** With one or two modes, a packet's mode is its second bit, and a long block's previous window the third. */
    private static final int MODE_BIT = 2;
    private static final int PREVIOUS_WINDOW_BIT = 4;
    private final int[] blockSizes;
    private boolean[] longModes;

    private VorbisCodec(int sampleRate, int channels, int[] blockSizes) {
        super(new Format("vorbis", sampleRate, channels, 3));
        this.blockSizes = blockSizes;
    }

    static VorbisCodec of(byte[] identification) throws Unsure {
        if (identification.length < 30) {
            throw new Unsure("a short Vorbis identification header");
        }
        ByteBuffer in = ByteBuffer.wrap(identification).order(ByteOrder.LITTLE_ENDIAN);
        int channels = identification[11] & 0xFF;
        long rate = Integer.toUnsignedLong(in.getInt(12));
        int sizes = identification[28] & 0xFF;
        int[] blockSizes = {1 << (sizes & 15), 1 << (sizes >>> 4)};
        if (in.getInt(7) != 0 || channels == 0 || rate == 0 || rate > 10_000_000 || (sizes & 15) < 6
                || (sizes >>> 4) > 13 || blockSizes[0] > blockSizes[1] || (identification[29] & 1) == 0) {
            throw new Unsure("a Vorbis identification header FFmpeg may read otherwise");
        }
        return new VorbisCodec((int) rate, channels, blockSizes);
    }

    @Override
    void header(int index, byte[] packet, Tags tags) throws Unsure {
        int type = index == 1 ? 3 : 5;
        if (packet.length < 7 || packet[0] != type || !WavHeader.ascii(packet, 1, 6).equals("vorbis")) {
            throw new Unsure("no Vorbis " + (index == 1 ? "comment" : "setup") + " header");
        }
        if (index == 1) {
            VorbisComments.read(packet, 7, tags);
        } else {
            modes(packet);
        }
    }

    /** FFmpeg's way: after the framing bit, read backwards, mode entries until one can be the last. */
    private void modes(byte[] setup) throws Unsure {
        BackwardBits bits = new BackwardBits(setup);
        long framing = -1;
        while (bits.left() > 97) {
            if (bits.read(1) == 1) {
                framing = bits.position();
                break;
            }
        }
        int count = 0;
        int lastCount = 0;
        while (framing >= 0 && bits.left() >= 97) {
            if (bits.read(8) > 63 || bits.read(16) != 0 || bits.read(16) != 0) {
                break;
            }
            bits.read(1);
            count++;
            if (count > 64) {
                break;
            }
            if (bits.peek(6) + 1 == count) {
                lastCount = count;
            }
        }
        if (lastCount == 0 || lastCount > 2) {
            // FFmpeg asks for a sample of more than 2 modes (a warning): ffprobe reads those.
            throw new Unsure("a setup header whose modes FFmpeg may read otherwise");
        }
        longModes = new boolean[lastCount];
        BackwardBits again = new BackwardBits(setup);
        again.skip(framing);
        for (int i = lastCount - 1; i >= 0; i--) {
            again.skip(40);
            longModes[i] = again.read(1) == 1;
        }
    }

    /** The page's granule is at most the packets' durations as FFmpeg's parser counts them: it starts at max(granule - duration, 0) = 0. */
    @Override
    boolean startsAtZero(List<byte[]> packets, long granule, boolean lastPage) throws Unsure {
        if (lastPage) {
            return false;
        }
        int previous = blockSizes[0];
        long samples = 0;
        for (byte[] packet : packets) {
            if (packet.length == 0 || (packet[0] & 1) != 0) {
                throw new Unsure("an empty or header packet among the audio");
            }
            int mode = longModes.length == 1 ? 0 : (packet[0] & MODE_BIT) >> 1;
            if (mode >= longModes.length) {
                throw new Unsure("a packet of an unknown mode");
            }
            if (longModes[mode]) {
                previous = blockSizes[(packet[0] & PREVIOUS_WINDOW_BIT) != 0 ? 1 : 0];
            }
            int current = blockSizes[longModes[mode] ? 1 : 0];
            samples += (previous + current) >> 2;
            previous = current;
        }
        return granule <= samples;
    }

    /** The bits of a packet from its end: bytes reversed, each read from its highest bit, as FFmpeg does. */
    private static final class BackwardBits {
        private final byte[] bytes;
        private long position;

        BackwardBits(byte[] forward) {
            bytes = new byte[forward.length];
            for (int i = 0; i < forward.length; i++) {
                bytes[i] = forward[forward.length - 1 - i];
            }
        }

        long left() {
            return bytes.length * 8L - position;
        }

        long position() {
            return position;
        }

        void skip(long count) {
            position += count;
        }

        int read(int count) {
            int value = peek(count);
            position += count;
            return value;
        }

        int peek(int count) {
            int value = 0;
            for (int i = 0; i < count; i++) {
                long at = position + i;
                int bit = at < bytes.length * 8L ? (bytes[(int) (at >>> 3)] >>> (7 - (int) (at & 7))) & 1 : 0;
                value = value << 1 | bit;
            }
            return value;
        }
    }
}
