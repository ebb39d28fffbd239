package io.assetindex.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The structure of a camera RAW file, read without decoding the sensor data: where its data
 * blocks are (each must lie inside the file) and where its embedded JPEG previews are, the
 * largest of which is what asset-index shows and checks. Cameras store a full-size or large
 * preview beside the raw data; decoding the raw data itself would need a demosaicing library
 * per vendor, and says little more about damage than a readable structure and preview.
 *
 * <p>TIFF-based formats (DNG, CR2, NEF, ARW, ORF, RW2, PEF, SRW) are walked IFD by IFD: the
 * main chain, SubIFDs and the EXIF IFD; a preview is either a JPEG interchange block (tags
 * 0x201/0x202) or a single-strip IFD compressed as JPEG. Fujifilm's RAF keeps the offset and
 * length of its JPEG in a fixed header. Canon's CR3 is an ISO media file: its boxes are walked
 * ({@code BoxWalk}). Everything a header declares is checked against the
 * file's length before it is used, and the walk is capped (IFDs, entries, previews), so a
 * hostile file costs at most a few thousand small reads.
 */
public final class RawFile {
    /** The RAW formats by extension, with the format name the probe reports. */
    public static final Map<String, String> FORMATS = Map.ofEntries(Map.entry("dng", "DNG"), Map.entry("cr2", "CR2"),
            Map.entry("cr3", "CR3"), Map.entry("nef", "NEF"), Map.entry("nrw", "NEF"), Map.entry("arw", "ARW"),
            Map.entry("raf", "RAF"), Map.entry("orf", "ORF"), Map.entry("rw2", "RW2"), Map.entry("pef", "PEF"),
            Map.entry("srw", "SRW"));

    static final int MAX_IFDS = 64;
    private static final int MAX_ENTRIES = 1_000;
    /** Offsets and lengths read per file at most (a 100-megapixel DNG in 256-pixel tiles has about 1,600). */
    static final long MAX_VALUES = 1_000_000;
    /** A preview larger than this is not read (the largest cameras' full-size previews are 10-20 MiB). */
    static final long MAX_PREVIEW_BYTES = 64L << 20;

    private static final int NEW_SUBFILE_TYPE = 0xFE;
    private static final int COMPRESSION = 0x103;
    private static final int STRIP_OFFSETS = 0x111;
    private static final int STRIP_BYTE_COUNTS = 0x117;
    private static final int TILE_OFFSETS = 0x144;
    private static final int TILE_BYTE_COUNTS = 0x145;
    private static final int SUB_IFDS = 0x14A;
    private static final int JPEG_OFFSET = 0x201;
    private static final int JPEG_LENGTH = 0x202;
    private static final int EXIF_IFD = 0x8769;
    /** The tags the walk reads; others are skipped unread. */
    private static final Set<Integer> WANTED = Set.of(NEW_SUBFILE_TYPE, COMPRESSION, STRIP_OFFSETS, STRIP_BYTE_COUNTS,
            TILE_OFFSETS, TILE_BYTE_COUNTS, SUB_IFDS, JPEG_OFFSET, JPEG_LENGTH, EXIF_IFD);

    /** An embedded JPEG: where it starts and how long it is. */
    public record Preview(long offset, long length) {}

    /**
     * What the structure says.
     *
     * @param previews the embedded JPEG candidates, in the order found
     * @param problems what is wrong with the structure (data declared past the end of the file,
     *                 an IFD that cannot be read), empty when it is sound
     * @param tiffs    for a CR3, where its metadata TIFFs are: "CMT1" (IFD0), "CMT2" (EXIF), "CMT4" (GPS)
     */
    public record Structure(String format, List<Preview> previews, List<String> problems, Map<String, Preview> tiffs) {
        Structure(String format, List<Preview> previews, List<String> problems) {
            this(format, previews, problems, Map.of());
        }
    }

    /** Canon's box of metadata boxes inside a CR3's {@code moov}, and the box of its preview. */
    private static final byte[] CANON_UUID = java.util.HexFormat.of().parseHex("85c0b687820f11e08111f4ce462b6a48");
    private static final byte[] PREVIEW_UUID = java.util.HexFormat.of().parseHex("eaf42b5e1c984b88b9fbb7dc406e4d16");
    /** Boxes read per level, and levels, in a CR3. */
    private static final int MAX_BOXES = 1_000;
    private static final int MAX_DEPTH = 4;

    private RawFile() {}

    /** The RAW format name for a file name's extension ("DNG"), or empty when it is not a RAW extension. */
    public static Optional<String> formatOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? Optional.empty()
                : Optional.ofNullable(FORMATS.get(name.substring(dot + 1).toLowerCase(Locale.ROOT)));
    }

    /**
     * Reads the structure of a RAW file.
     *
     * @throws MediaException when the file is not a RAW file of a kind this reads (not TIFF-based, not RAF)
     */
    public static Structure read(Path file, String format) throws MediaException, IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long length = channel.size();
            ByteBuffer head = read(channel, 0, (int) Math.min(length, 160));
            if (head.remaining() >= 16 && ascii(head, 0, 15).equals("FUJIFILMCCD-RAW")) {
                return raf(head, length, format);
            }
            if (head.remaining() >= 12 && ascii(head, 4, 8).equals("ftypcrx ")) {
                return new BoxWalk(channel, length, format).walk();
            }
            if (head.remaining() < 8) {
                throw new MediaException("too short to be a " + format + " file (" + length + " bytes); the copy may"
                        + " be cut short or the file misnamed");
            }
            ByteOrder order;
            if (head.get(0) == 'I' && head.get(1) == 'I') {
                order = ByteOrder.LITTLE_ENDIAN;
            } else if (head.get(0) == 'M' && head.get(1) == 'M') {
                order = ByteOrder.BIG_ENDIAN;
            } else {
                throw new MediaException("not a readable " + format + " file (neither TIFF-based nor a Fujifilm"
                        + " RAF); the file may be corrupt or misnamed");
            }
            head.order(order);
            int magic = Short.toUnsignedInt(head.getShort(2));
            // 42: TIFF; Olympus ORF: "RO" and "RS"; Panasonic RW2: 0x55.
            if (magic != 42 && magic != 0x4F52 && magic != 0x5352 && magic != 0x55) {
                throw new MediaException("not a readable " + format + " file (a TIFF header with magic " + magic
                        + "); the file may be corrupt or misnamed");
            }
            return new TiffWalk(channel, length, order, format).walk(Integer.toUnsignedLong(head.getInt(4)));
        }
    }

    /** Fujifilm's RAF: a fixed header gives the JPEG's offset and length at bytes 84 and 88 (big-endian). */
    private static Structure raf(ByteBuffer head, long length, String format) {
        List<String> problems = new ArrayList<>();
        List<Preview> previews = new ArrayList<>();
        if (head.remaining() < 108) {
            problems.add("the RAF header is cut short");
        } else {
            head.order(ByteOrder.BIG_ENDIAN);
            long jpegOffset = Integer.toUnsignedLong(head.getInt(84));
            long jpegLength = Integer.toUnsignedLong(head.getInt(88));
            long cfaOffset = Integer.toUnsignedLong(head.getInt(100));
            long cfaLength = Integer.toUnsignedLong(head.getInt(104));
            if (inside(jpegOffset, jpegLength, length)) {
                previews.add(new Preview(jpegOffset, jpegLength));
            } else {
                problems.add("its preview is declared past the end of the file (truncated?)");
            }
            if (!inside(cfaOffset, cfaLength, length)) {
                problems.add("its raw data is declared past the end of the file (truncated?)");
            }
        }
        return new Structure(format, previews, problems);
    }

    private static boolean inside(long offset, long count, long length) {
        return offset > 0 && count > 0 && offset <= length && count <= length - offset;
    }

    private static ByteBuffer read(FileChannel channel, long position, int bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(bytes);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                break;
            }
        }
        return buffer.flip();
    }

    private static String ascii(ByteBuffer buffer, int from, int count) {
        byte[] bytes = new byte[count];
        buffer.get(from, bytes);
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /**
     * One walk over a CR3's boxes (ISO/IEC 14496-12): every box must lie inside its parent; the
     * metadata TIFFs (CMT1, CMT2, CMT4) in Canon's box in {@code moov}; the JPEGs of the
     * {@code PRVW} box (about 1620 × 1080) and the {@code THMB} box (160 × 120).
     */
    private static final class BoxWalk {
        private final FileChannel channel;
        private final long length;
        private final String format;
        private final List<Preview> previews = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        private final Map<String, Preview> tiffs = new java.util.HashMap<>();

        BoxWalk(FileChannel channel, long length, String format) {
            this.channel = channel;
            this.length = length;
            this.format = format;
        }

        Structure walk() throws IOException {
            boxes(0, length, 0);
            return new Structure(format, List.copyOf(previews), List.copyOf(problems), Map.copyOf(tiffs));
        }

        private void boxes(long from, long to, int depth) throws IOException {
            long at = from;
            for (int count = 0; at + 8 <= to && count < MAX_BOXES; count++) {
                ByteBuffer head = read(channel, at, 32);
                long size = Integer.toUnsignedLong(head.getInt(0));
                String type = ascii(head, 4, 4);
                int header = 8;
                if (size == 1) {
                    size = head.getLong(8);
                    header = 16;
                } else if (size == 0) {
                    size = to - at; // to the end
                }
                if (size < header || size > to - at) {
                    problems.add("a '" + type.strip() + "' box is declared past the end of the file (truncated?)");
                    return;
                }
                long payload = at + header;
                long payloadLength = size - header;
                switch (type) {
                    case "moov" -> {
                        if (depth < MAX_DEPTH) {
                            boxes(payload, at + size, depth + 1);
                        }
                    }
                    case "uuid" -> uuid(payload, payloadLength, at + size, depth);
                    case "CMT1", "CMT2", "CMT4" -> tiffs.put(type, new Preview(payload, payloadLength));
                    case "PRVW", "THMB" -> jpegIn(payload, payloadLength);
                    default -> { }
                }
                at += size;
            }
        }

        private void uuid(long payload, long payloadLength, long end, int depth) throws IOException {
            if (payloadLength < 16 || depth >= MAX_DEPTH) {
                return;
            }
            byte[] uuid = new byte[16];
            read(channel, payload, 16).get(uuid);
            if (java.util.Arrays.equals(uuid, CANON_UUID)) {
                boxes(payload + 16, end, depth + 1);
            } else if (java.util.Arrays.equals(uuid, PREVIEW_UUID) && payloadLength >= 24) {
                boxes(payload + 24, end, depth + 1); // 8 bytes of Canon's before the PRVW box
            }
        }

        /** A JPEG near the start of a box's payload (after a few fields that say its size), to the box's end. */
        private void jpegIn(long payload, long payloadLength) throws IOException {
            ByteBuffer head = read(channel, payload, (int) Math.min(payloadLength, 32));
            for (int i = 0; i + 1 < head.limit(); i++) {
                if ((head.get(i) & 0xFF) == 0xFF && (head.get(i + 1) & 0xFF) == 0xD8) {
                    previews.add(new Preview(payload + i, payloadLength - i));
                    return;
                }
            }
            problems.add("a preview box holds no JPEG");
        }
    }

    /** One walk over a TIFF-based file's IFDs. */
    private static final class TiffWalk {
        private final FileChannel channel;
        private final long length;
        private final ByteOrder order;
        private final String format;
        private final List<Preview> previews = new ArrayList<>();
        private final List<String> problems = new ArrayList<>();
        /** Values the walk may still read (64 IFDs of tags declaring 100,000 values each: 640 reads of 400 KB). */
        private long valuesLeft = MAX_VALUES;

        TiffWalk(FileChannel channel, long length, ByteOrder order, String format) {
            this.channel = channel;
            this.length = length;
            this.order = order;
            this.format = format;
        }

        Structure walk(long firstIfd) throws IOException {
            Deque<Long> pending = new ArrayDeque<>();
            Set<Long> seen = new HashSet<>();
            pending.add(firstIfd);
            while (!pending.isEmpty() && seen.size() < MAX_IFDS) {
                long offset = pending.poll();
                if (offset == 0 || !seen.add(offset)) {
                    continue; // the end of a chain, or a loop
                }
                if (offset < 8 || offset > length - 2) {
                    problems.add("an IFD is declared past the end of the file (truncated?)");
                    continue;
                }
                ifd(offset, pending);
            }
            if (seen.isEmpty()) {
                problems.add("it has no IFD");
            }
            return new Structure(format, List.copyOf(previews), List.copyOf(problems));
        }

        /** Reads one IFD: its data blocks are checked, its previews kept, the IFDs it points to queued. */
        private void ifd(long offset, Deque<Long> pending) throws IOException {
            int entries = Short.toUnsignedInt(read(channel, offset, 2).order(order).getShort(0));
            if (entries == 0 || entries > MAX_ENTRIES || offset + 2 + 12L * entries + 4 > length) {
                problems.add("an IFD at " + offset + " declares " + entries + " entries past the end of the file");
                return;
            }
            ByteBuffer table = read(channel, offset + 2, 12 * entries + 4).order(order);
            Map<Integer, long[]> values = new java.util.HashMap<>();
            for (int i = 0; i < entries; i++) {
                int base = 12 * i;
                int tag = Short.toUnsignedInt(table.getShort(base));
                int type = Short.toUnsignedInt(table.getShort(base + 2));
                long count = Integer.toUnsignedLong(table.getInt(base + 4));
                if (WANTED.contains(tag)) {
                    values.put(tag, integers(table, base, type, count));
                }
            }
            pending.add(Integer.toUnsignedLong(table.getInt(12 * entries)));
            for (long sub : values.getOrDefault(SUB_IFDS, new long[0])) {
                pending.add(sub);
            }
            for (long exif : values.getOrDefault(EXIF_IFD, new long[0])) {
                pending.add(exif);
            }
            blocks(values.get(STRIP_OFFSETS), values.get(STRIP_BYTE_COUNTS), "strips");
            blocks(values.get(TILE_OFFSETS), values.get(TILE_BYTE_COUNTS), "tiles");
            long[] jpegOffset = values.get(JPEG_OFFSET);
            long[] jpegLength = values.get(JPEG_LENGTH);
            if (jpegOffset != null && jpegLength != null && jpegOffset.length == 1 && jpegLength.length == 1) {
                preview(jpegOffset[0], jpegLength[0]);
            }
            long[] compression = values.get(COMPRESSION);
            long[] strips = values.get(STRIP_OFFSETS);
            long[] counts = values.get(STRIP_BYTE_COUNTS);
            if (compression != null && compression.length == 1 && (compression[0] == 6 || compression[0] == 7)
                    && strips != null && counts != null && strips.length == 1 && counts.length == 1) {
                // Raw data compressed as lossless JPEG looks the same; it is told apart by its frame (see RawPreview).
                preview(strips[0], counts[0]);
            }
        }

        private void preview(long offset, long count) {
            if (!inside(offset, count, length)) {
                problems.add("a preview is declared past the end of the file (truncated?)");
            } else if (previews.size() < MAX_IFDS && !previews.contains(new Preview(offset, count))) {
                previews.add(new Preview(offset, count));
            }
        }

        private void blocks(long[] offsets, long[] counts, String what) {
            if (offsets == null && counts == null) {
                return;
            }
            if (offsets == null || counts == null || offsets.length != counts.length) {
                problems.add("an IFD declares " + what + " without their offsets or lengths");
                return;
            }
            for (int i = 0; i < offsets.length; i++) {
                if (!inside(offsets[i], counts[i], length)) {
                    problems.add("its " + what + " are declared past the end of the file (truncated?)");
                    return;
                }
            }
        }

        /** The values of a SHORT, LONG or IFD entry (at most 100,000), read where they are. */
        private long[] integers(ByteBuffer table, int base, int type, long count) throws IOException {
            int size = type == 3 ? 2 : type == 4 || type == 13 ? 4 : 0;
            if (size == 0 || count == 0 || count > 100_000) {
                return new long[0];
            }
            if (count > valuesLeft) {
                problems.add("its IFDs declare more than " + MAX_VALUES
                        + " offsets and lengths; no camera writes that");
                return new long[0];
            }
            valuesLeft -= count;
            ByteBuffer data;
            if (size * count <= 4) {
                data = table.slice(base + 8, 4).order(order);
            } else {
                long at = Integer.toUnsignedLong(table.getInt(base + 8));
                if (!inside(at, size * count, length)) {
                    problems.add("an IFD's values are declared past the end of the file (truncated?)");
                    return new long[0];
                }
                data = read(channel, at, (int) (size * count)).order(order);
            }
            long[] out = new long[(int) count];
            for (int i = 0; i < count && (i + 1) * size <= data.limit(); i++) {
                out[i] = size == 2 ? Short.toUnsignedInt(data.getShort(i * 2))
                        : Integer.toUnsignedLong(data.getInt(i * 4));
            }
            return out;
        }
    }
}
