package io.assetindex.media.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Opus in Ogg, read as FFmpeg's ogg demuxer reads it: 48 kHz, the channels of the OpusHead, tags
 * from OpusTags, and the duration from the last page's granule position (which counts the
 * pre-skip, as FFmpeg's does) when the stream starts at zero, i.e. the first audio page's granule
 * is the duration of the packets it completes.
 *
 * <p>Verified: every page's CRC-32, one logical stream with pages numbered without a gap, granule
 * positions that never go back, the last page marked as the end and ending the file. Ogg's CRC
 * covers every byte, so a flipped bit or a cut anywhere is caught. Chained or multiplexed streams,
 * other codecs in Ogg (Vorbis, whose packet durations need its setup header, FLAC), and anything
 * that does not add up are left to ffprobe.
 */
final class OggOpusStream {
    private static final int CONTINUED = 1;
    private static final int FIRST = 2;
    private static final int LAST = 4;
    private static final int MAX_HEADER_BYTES = FileBytes.MAX_READ_BYTES;

    private final SequentialBytes in;
    private final Tags tags = new Tags();
    private final ByteArrayOutputStream packet = new ByteArrayOutputStream();
    private int channels;
    private int headers;
    private boolean collecting = true;
    private boolean open;

    /**
     * One page: its flags, granule position, stream, where it ends, the packets it completes (while
     * the headers and the first audio page are read) and whether its last packet goes on.
     */
    private record Page(int flags, long granule, long serial, long end, List<byte[]> packets, boolean openPacket) {}

    private OggOpusStream(FileBytes file) {
        this.in = new SequentialBytes(file);
    }

    static boolean matches(byte[] head) {
        return head.length >= 4 && WavHeader.ascii(head, 0, 4).equals("OggS");
    }

    static HeaderFacts read(FileBytes file) throws IOException, Unsure {
        return new OggOpusStream(file).read();
    }

    private HeaderFacts read() throws IOException, Unsure {
        long position = 0;
        long serial = -1;
        long granule = 0;
        boolean audio = false;
        for (long sequence = 0; position < in.size(); sequence++) {
            Page page = page(position, sequence, serial);
            serial = page.serial();
            if ((page.flags() & FIRST) != 0 != (sequence == 0) || page.granule() < granule && page.granule() != -1) {
                throw new Unsure("a page out of order");
            }
            if (headers < 2) {
                headerPackets(page);
            } else if (!audio) {
                audio = true;
                collecting = false;
                startsAtZero(page);
            }
            if (page.granule() != -1) {
                granule = page.granule();
            }
            position = page.end();
            if ((page.flags() & LAST) != 0 && position != in.size()) {
                throw new Unsure("bytes after the last page");
            }
            if (position == in.size() && ((page.flags() & LAST) == 0 || page.openPacket())) {
                throw new Unsure("a stream that does not end with its last page (cut short?)");
            }
        }
        if (!audio || granule <= 0) {
            throw new Unsure("no audio");
        }
        long micros = Timing.micros(granule, 1, 48_000);
        return new HeaderFacts("ogg", "opus", 48_000, channels, micros, Timing.bitRate(in.size(), micros),
                tags.kept(), List.of(), "Ogg pages + CRC", 0);
    }

    private Page page(long at, long sequence, long serial) throws IOException, Unsure {
        if (at + 27 > in.size() || in.get(at) != 'O' || in.get(at + 1) != 'g' || in.get(at + 2) != 'g'
                || in.get(at + 3) != 'S' || in.get(at + 4) != 0) {
            throw new Unsure("no page at " + at);
        }
        int flags = in.get(at + 5);
        long granule = little(at + 6, 8);
        long pageSerial = little(at + 14, 4);
        long stored = little(at + 22, 4);
        int segments = in.get(at + 26);
        if ((serial >= 0 && pageSerial != serial) || little(at + 18, 4) != sequence
                || ((flags & CONTINUED) != 0) != open || at + 27 + segments > in.size()) {
            throw new Unsure("a page of another stream, out of sequence or continuing nothing");
        }
        long body = at + 27 + segments;
        long end = body;
        for (int i = 0; i < segments; i++) {
            end += in.get(at + 27 + i);
        }
        if (end > in.size()) {
            throw new Unsure("a page declared past the end of the file");
        }
        int crc = 0;
        for (long i = at; i < end; i++) {
            crc = Crc.crc32(crc, i >= at + 22 && i < at + 26 ? 0 : in.get(i));
        }
        if (Integer.toUnsignedLong(crc) != stored) {
            throw new Unsure("a page that fails its CRC");
        }
        List<byte[]> packets = new ArrayList<>();
        long position = body;
        for (int i = 0; i < segments; i++) {
            int lacing = in.get(at + 27 + i);
            for (long b = position; collecting && b < position + lacing; b++) {
                keep(in.get(b));
            }
            position += lacing;
            open = lacing == 255;
            if (!open && collecting) {
                packets.add(packet.toByteArray());
                packet.reset();
            }
        }
        return new Page(flags, granule, pageSerial, end, packets, open);
    }

    /** Keeps a packet's bytes while it is being assembled: whole header packets, the first bytes of audio ones. */
    private void keep(int value) throws Unsure {
        if (packet.size() < MAX_HEADER_BYTES) {
            packet.write(value);
        } else if (headers < 2) {
            throw new Unsure("a header packet over " + MAX_HEADER_BYTES + " bytes");
        }
    }

    private void headerPackets(Page page) throws Unsure {
        for (byte[] header : page.packets()) {
            if (headers == 0) {
                opusHead(header);
            } else if (headers == 1) {
                if (header.length < 8 || !WavHeader.ascii(header, 0, 8).equals("OpusTags")) {
                    throw new Unsure("no OpusTags");
                }
                VorbisComments.read(header, 8, tags);
            } else {
                throw new Unsure("audio on a header page");
            }
            headers++;
        }
        if (headers == 2 && page.openPacket() || page.granule() != 0 && page.granule() != -1) {
            throw new Unsure("headers that share their page with audio");
        }
    }

    private void opusHead(byte[] head) throws Unsure {
        if (head.length < 19 || !WavHeader.ascii(head, 0, 8).equals("OpusHead") || (head[8] & 0xF0) != 0
                || head[9] == 0 || (head[18] != 0 && head[18] != 1)) {
            throw new Unsure("not an Opus stream FFmpeg reads plainly (Vorbis, FLAC or another mapping)");
        }
        channels = head[9] & 0xFF;
    }

    /**
     * The first audio page's granule is what its packets last: FFmpeg then starts the stream at 0.
     * When that page is also the last, FFmpeg does not count (its granule is trimmed) and starts at 0.
     */
    private void startsAtZero(Page page) throws Unsure {
        if ((page.flags() & LAST) != 0) {
            return;
        }
        long samples = 0;
        for (byte[] opus : page.packets()) {
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
        if (page.packets().isEmpty() || page.granule() != samples) {
            throw new Unsure("a stream that does not start at zero");
        }
    }

    private long little(long at, int bytes) throws IOException {
        long value = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            value = value << 8 | in.get(at + i);
        }
        return value;
    }
}
