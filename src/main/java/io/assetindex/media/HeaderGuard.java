package io.assetindex.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks the lengths an image file declares before any parser allocates memory for them.
 *
 * <p>metadata-extractor (2.21) allocates the length a PNG chunk, a RIFF chunk or an ISO BMFF box
 * declares before reading it: a 93-byte PNG whose text chunk claims 2 GiB would make it allocate
 * 2 GiB. This walks those containers (PNG; WebP's RIFF; HEIF and AVIF boxes) and refuses, with a
 * reason for people, a declared length beyond what remains of the file or its parent box, a
 * metadata block larger than {@link #MAX_METADATA_BYTES} (real EXIF, XMP and ICC blocks are far
 * smaller), more than {@link #MAX_BLOCKS} metadata blocks, or a compressed PNG text or ICC chunk
 * that inflates beyond {@link #MAX_INFLATED_BYTES}. Image data (PNG IDAT, WebP frames, mdat) may
 * be as large as the file. JPEG and GIF need no walk: their blocks are at most 64 KiB and 255
 * bytes. TIFF is read through {@link CappedTiffReader}. Reads only headers: the cost is a few
 * reads per block, never the image data.
 */
final class HeaderGuard {
    static final int MAX_METADATA_BYTES = 16 << 20;
    static final int MAX_INFLATED_BYTES = 16 << 20;
    static final int MAX_BLOCKS = 10_000;
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Set<String> PNG_IMAGE_DATA = Set.of("IDAT", "fdAT");
    private static final Set<String> RIFF_IMAGE_DATA = Set.of("VP8 ", "VP8L", "ALPH", "ANMF");
    /** Boxes whose payload is more boxes (after a 4-byte version and flags for "meta"). */
    private static final Set<String> ISO_CONTAINERS = Set.of("meta", "iprp", "ipco", "dinf");
    private static final Set<String> ISO_DATA = Set.of("mdat", "idat", "free", "skip", "moov", "moof");

    private final FileChannel channel;
    private final long size;
    private int blocks;

    private HeaderGuard(FileChannel channel, long size) {
        this.channel = channel;
        this.size = size;
    }

    /** @throws MediaException naming the block and its declared length, when the file declares too much */
    static void check(Path file) throws MediaException, IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            HeaderGuard guard = new HeaderGuard(channel, channel.size());
            byte[] magic = guard.bytes(0, 12);
            if (startsWith(magic, PNG)) {
                guard.png();
            } else if (ascii(magic, 0, 4).equals("RIFF") && ascii(magic, 8, 4).equals("WEBP")) {
                guard.riff();
            } else if (ascii(magic, 4, 4).equals("ftyp")) {
                guard.isoBoxes(0, guard.size, 0);
            }
        }
    }

    private void png() throws MediaException, IOException {
        long position = PNG.length;
        while (position + 12 <= size) {
            ByteBuffer header = read(position, 8).order(ByteOrder.BIG_ENDIAN);
            long length = Integer.toUnsignedLong(header.getInt());
            String type = ascii(header.array(), 4, 4);
            long remaining = size - position - 12;
            if (length > remaining) {
                throw declared(type + " chunk", length, "where " + remaining + " bytes remain");
            }
            if (!PNG_IMAGE_DATA.contains(type)) {
                metadataBlock(type + " chunk", length);
                if (type.equals("zTXt") || type.equals("iCCP") || type.equals("iTXt")) {
                    compressedText(type, position + 8, (int) length);
                }
            }
            position += 12 + length;
            if (type.equals("IEND")) {
                return;
            }
        }
    }

    /** zTXt and iCCP: name, 0, method, data; iTXt: keyword, 0, flag, method, language, 0, translated, 0, text. */
    private void compressedText(String type, long start, int length) throws MediaException, IOException {
        byte[] chunk = bytes(start, length);
        int at = indexOf(chunk, 0, (byte) 0) + 1;
        if (at <= 0 || at >= chunk.length) {
            return; // malformed: the parser reports it, and it allocates nothing for it
        }
        if (type.equals("iTXt")) {
            boolean compressed = chunk[at] != 0;
            at = indexOf(chunk, at + 2, (byte) 0) + 1;
            at = at <= 0 ? -1 : indexOf(chunk, at, (byte) 0) + 1;
            if (!compressed || at <= 0) {
                return;
            }
        } else {
            at++; // the compression method
        }
        long inflated = inflatedLength(chunk, at, MAX_INFLATED_BYTES + 1L);
        if (inflated > MAX_INFLATED_BYTES) {
            throw new MediaException("its " + type + " chunk inflates to more than " + mib(MAX_INFLATED_BYTES)
                    + "; the file is damaged or crafted");
        }
    }

    /** How many bytes the deflate stream inflates to, counting at most {@code cap}. */
    private static long inflatedLength(byte[] data, int offset, long cap) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data, offset, Math.max(0, data.length - offset));
            byte[] sink = new byte[64 * 1024];
            long total = 0;
            while (total < cap && !inflater.finished()) {
                int n = inflater.inflate(sink);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                total += n;
            }
            return total;
        } catch (DataFormatException e) {
            return 0; // not deflate data: the parser reports it
        } finally {
            inflater.end();
        }
    }

    private void riff() throws MediaException, IOException {
        long position = 12;
        while (position + 8 <= size) {
            ByteBuffer header = read(position, 8).order(ByteOrder.LITTLE_ENDIAN);
            String type = ascii(header.array(), 0, 4);
            header.position(4);
            long length = Integer.toUnsignedLong(header.getInt());
            long remaining = size - position - 8;
            if (length > remaining) {
                throw declared(type.strip() + " chunk", length, "where " + remaining + " bytes remain");
            }
            if (!RIFF_IMAGE_DATA.contains(type)) {
                metadataBlock(type.strip() + " chunk", length);
            }
            position += 8 + length + (length & 1);
        }
    }

    /** The boxes between {@code start} and {@code end}, and the children of container boxes, down a few levels. */
    private void isoBoxes(long start, long end, int depth) throws MediaException, IOException {
        long position = start;
        while (position + 8 <= end) {
            ByteBuffer header = read(position, (int) Math.min(16, end - position)).order(ByteOrder.BIG_ENDIAN);
            long length = Integer.toUnsignedLong(header.getInt());
            String type = ascii(header.array(), 4, 4);
            int headerBytes = 8;
            if (length == 1) {
                if (header.remaining() < 8) {
                    throw new MediaException("its " + printable(type) + " box is cut short; the file is damaged");
                }
                length = header.getLong();
                headerBytes = 16;
            } else if (length == 0) {
                length = end - position; // to the end of the file
            }
            if (length < headerBytes || length > end - position) {
                throw declared(printable(type) + " box", length, "where " + (end - position) + " bytes remain");
            }
            if (!ISO_DATA.contains(type)) {
                metadataBlock(printable(type) + " box", length);
                if (ISO_CONTAINERS.contains(type) && depth < 4) {
                    long children = position + headerBytes + (type.equals("meta") ? 4 : 0);
                    isoBoxes(children, position + length, depth + 1);
                }
                if (type.equals("meta")) {
                    metadataItems(position + headerBytes + 4, position + length);
                }
            }
            position += length;
        }
    }

    /**
     * The EXIF and XMP items of a HEIF/AVIF {@code meta} box are read whole, at the length the
     * {@code iloc} box declares for them: that length must fit the file and the metadata cap.
     */
    private void metadataItems(long start, long end) throws MediaException, IOException {
        ByteBuffer iinf = childPayload(start, end, "iinf");
        ByteBuffer iloc = childPayload(start, end, "iloc");
        if (iinf == null || iloc == null) {
            return;
        }
        Set<Long> metadataItems = IsoItems.metadataItemIds(iinf);
        for (IsoItems.Extent extent : IsoItems.extents(iloc)) {
            if (!metadataItems.contains(extent.itemId())) {
                continue;
            }
            if (extent.length() < 0 || extent.length() > MAX_METADATA_BYTES || extent.offset() < 0
                    || extent.offset() + extent.length() > size) {
                throw declared("metadata item", extent.length(), "at offset " + extent.offset() + " of a "
                        + size + "-byte file, or larger than the " + mib(MAX_METADATA_BYTES) + " any real picture needs");
            }
        }
    }

    /** The payload (after size and type) of the first child box of this type, or null. */
    private ByteBuffer childPayload(long start, long end, String wanted) throws IOException {
        long position = start;
        while (position + 8 <= end) {
            ByteBuffer header = read(position, 8).order(ByteOrder.BIG_ENDIAN);
            long length = Integer.toUnsignedLong(header.getInt());
            String type = ascii(header.array(), 4, 4);
            if (length < 8 || length > end - position) {
                return null; // isoBoxes has judged the sizes already
            }
            if (type.equals(wanted)) {
                return read(position + 8, (int) (length - 8)).order(ByteOrder.BIG_ENDIAN);
            }
            position += length;
        }
        return null;
    }

    private void metadataBlock(String what, long length) throws MediaException {
        if (length > MAX_METADATA_BYTES) {
            throw declared(what, length, "larger than the " + mib(MAX_METADATA_BYTES) + " any real picture needs");
        }
        if (++blocks > MAX_BLOCKS) {
            throw new MediaException("it has more than " + MAX_BLOCKS + " metadata blocks; the file is damaged or crafted");
        }
    }

    private static MediaException declared(String what, long length, String context) {
        return new MediaException("its header declares a " + length + "-byte " + what + ", " + context
                + "; the file is damaged or crafted");
    }

    private ByteBuffer read(long position, int length) throws IOException {
        return ByteBuffer.wrap(bytes(position, length));
    }

    /** Up to {@code length} bytes from {@code position} (fewer at the end of the file). */
    private byte[] bytes(long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.max(0, Math.min(length, size - position)));
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip().get(bytes);
        return bytes;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] bytes, int offset, int length) {
        return bytes.length < offset + length ? "" : new String(bytes, offset, length, StandardCharsets.ISO_8859_1);
    }

    private static String printable(String fourCc) {
        return fourCc.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? fourCc.strip()
                : "0x" + HexFormat.of().formatHex(fourCc.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] bytes, int from, byte value) {
        for (int i = Math.max(0, from); i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
