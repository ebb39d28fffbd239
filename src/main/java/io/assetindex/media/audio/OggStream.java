package io.assetindex.media.audio;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Ogg holding Opus or Vorbis, read as FFmpeg's ogg demuxer reads it: the codec's header packets
 * (see {@link OggCodec}), tags from its comment header, and the duration from the last page's
 * granule position when the stream starts at zero, which FFmpeg decides from the first audio
 * page: its granule against the duration of the packets it completes.
 *
 * <p>Verified: every page's CRC-32, one logical stream with pages numbered without a gap, granule
 * positions that never go back, the headers on pages of their own, the last page marked as the
 * end and ending the file. Ogg's CRC covers every byte, so a flipped bit or a cut anywhere is
 * caught. Chained or multiplexed streams, other codecs (FLAC in Ogg, Speex) and anything that
 * does not add up are left to ffprobe.
 */
final class OggStream {
    private static final int CONTINUED = 1;
    private static final int FIRST = 2;
    private static final int LAST = 4;
    private static final int MAX_HEADER_BYTES = FileBytes.MAX_READ_BYTES;

    private final SequentialBytes in;
    private final Tags tags = new Tags();
    private final ByteArrayOutputStream packet = new ByteArrayOutputStream();
    private OggCodec codec;
    private int headers;
    private boolean collecting = true;
    private boolean open;

    /**
     * One page: its flags, granule position, stream, where it ends, the packets it completes (while
     * the headers and the first audio page are read) and whether its last packet goes on.
     */
    private record Page(int flags, long granule, long serial, long end, List<byte[]> packets, boolean openPacket) {}

    private OggStream(FileBytes file) {
        this.in = new SequentialBytes(file);
    }

    static boolean matches(byte[] head) {
        return head.length >= 4 && WavHeader.ascii(head, 0, 4).equals("OggS");
    }

    static HeaderFacts read(FileBytes file) throws IOException, Unsure {
        return new OggStream(file).read();
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
            if (codec == null || headers < codec.format().headerPackets()) {
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
        OggCodec.Format format = codec.format();
        long micros = Timing.micros(granule, 1, format.sampleRate());
        return new HeaderFacts("ogg", format.name(), format.sampleRate(), format.channels(), micros,
                Timing.bitRate(in.size(), micros), tags.kept(), List.of(), "Ogg pages + CRC", 0);
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
        } else if (codec == null || headers < codec.format().headerPackets()) {
            throw new Unsure("a header packet over " + MAX_HEADER_BYTES + " bytes");
        }
    }

    private void headerPackets(Page page) throws Unsure {
        for (byte[] header : page.packets()) {
            if (codec == null) {
                codec = OggCodec.identify(header);
            } else if (headers >= codec.format().headerPackets()) {
                throw new Unsure("audio on a header page");
            } else {
                codec.header(headers, header, tags);
            }
            headers++;
        }
        boolean done = codec != null && headers == codec.format().headerPackets();
        if (done && page.openPacket() || page.granule() != 0 && page.granule() != -1) {
            throw new Unsure("headers that share their page with audio");
        }
    }

    private void startsAtZero(Page page) throws Unsure {
        if (page.packets().isEmpty() || !codec.startsAtZero(page.packets(), page.granule(), (page.flags() & LAST) != 0)) {
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
