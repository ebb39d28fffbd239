package io.assetindex.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * Writes a valid little-endian DNG as a camera does: IFD0 holds the raw sensor data (8-bit CFA,
 * uncompressed), the camera's make and model, its orientation and the DNG version; a SubIFD holds
 * a JPEG preview; an EXIF IFD the exposure, lens and capture time with offset; a GPS IFD the
 * position. The tests' RAW file (no real RAW sample is small and freely available here).
 */
public final class DngFile {
    static final int SHORT = 3;
    static final int LONG = 4;
    static final int RATIONAL = 5;
    static final int ASCII = 2;
    static final int BYTE = 1;

    private final int rawWidth;
    private final int rawHeight;
    private int orientation = 1;
    private byte[] preview;
    private int previewWidth;
    private int previewHeight;
    private String make = "FUJIFILM";
    private String model = "X-T5";
    private String lens = "XF35mmF1.4 R";
    private String capturedAt = "2024:05:01 12:34:56";
    private String offset = "+02:00";

    public DngFile(int rawWidth, int rawHeight) {
        this.rawWidth = rawWidth;
        this.rawHeight = rawHeight;
    }

    public DngFile orientation(int value) {
        orientation = value;
        return this;
    }

    /** A JPEG preview of this size (a test pattern), as cameras embed one. */
    public DngFile preview(int width, int height, long seed) {
        preview = TestMedia.jpegBytes(width, height, seed);
        previewWidth = width;
        previewHeight = height;
        return this;
    }

    /** These bytes as the preview, whatever they are (a damaged JPEG). */
    public DngFile previewBytes(byte[] bytes, int width, int height) {
        preview = bytes;
        previewWidth = width;
        previewHeight = height;
        return this;
    }

    public DngFile camera(String make, String model, String lens) {
        this.make = make;
        this.model = model;
        this.lens = lens;
        return this;
    }

    public byte[] bytes() {
        // Layout: header, IFD0, preview IFD, EXIF IFD, GPS IFD (each with its values after it), preview, raw data.
        Ifd ifd0 = new Ifd();
        Ifd previewIfd = new Ifd();
        Ifd exif = new Ifd();
        Ifd gps = new Ifd();
        int rawBytes = rawWidth * rawHeight;
        long[] at = new long[6];
        LongUnaryOperator place = i -> at[(int) i];

        ifd0.add(0xFE, LONG, longs(0));
        ifd0.add(0x100, LONG, longs(rawWidth));
        ifd0.add(0x101, LONG, longs(rawHeight));
        ifd0.add(0x102, SHORT, shorts(8));
        ifd0.add(0x103, SHORT, shorts(1));
        ifd0.add(0x106, SHORT, shorts(32803));
        ifd0.add(0x10F, ASCII, ascii(make));
        ifd0.add(0x110, ASCII, ascii(model));
        ifd0.addLater(0x111, LONG, () -> longs(place.applyAsLong(5)));
        ifd0.add(0x112, SHORT, shorts(orientation));
        ifd0.add(0x115, SHORT, shorts(1));
        ifd0.add(0x116, LONG, longs(rawHeight));
        ifd0.add(0x117, LONG, longs(rawBytes));
        if (preview != null) {
            ifd0.addLater(0x14A, LONG, () -> longs(place.applyAsLong(1)));
        }
        ifd0.addLater(0x8769, LONG, () -> longs(place.applyAsLong(2)));
        ifd0.addLater(0x8825, LONG, () -> longs(place.applyAsLong(3)));
        ifd0.add(0xC612, BYTE, new byte[] {1, 4, 0, 0});

        previewIfd.add(0xFE, LONG, longs(1));
        previewIfd.add(0x100, LONG, longs(previewWidth));
        previewIfd.add(0x101, LONG, longs(previewHeight));
        previewIfd.add(0x103, SHORT, shorts(7));
        previewIfd.add(0x106, SHORT, shorts(6));
        previewIfd.addLater(0x111, LONG, () -> longs(place.applyAsLong(4)));
        previewIfd.add(0x115, SHORT, shorts(3));
        previewIfd.add(0x117, LONG, longs(preview == null ? 0 : preview.length));

        exif.add(0x829A, RATIONAL, rationals(1, 250));
        exif.add(0x829D, RATIONAL, rationals(28, 10));
        exif.add(0x8827, SHORT, shorts(400));
        exif.add(0x9003, ASCII, ascii(capturedAt));
        exif.add(0x9011, ASCII, ascii(offset));
        exif.add(0x920A, RATIONAL, rationals(35, 1));
        exif.add(0xA434, ASCII, ascii(lens));

        gps.add(0x1, ASCII, ascii("N"));
        gps.add(0x2, RATIONAL, rationals(59, 1, 54, 1, 30, 1));
        gps.add(0x3, ASCII, ascii("E"));
        gps.add(0x4, RATIONAL, rationals(10, 1, 45, 1, 0, 1));

        at[0] = 8;
        at[1] = at[0] + ifd0.size();
        at[2] = at[1] + (preview == null ? 0 : previewIfd.size());
        at[3] = at[2] + exif.size();
        at[4] = at[3] + gps.size();
        at[5] = at[4] + (preview == null ? 0 : preview.length);
        ByteBuffer out = ByteBuffer.allocate((int) at[5] + rawBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {'I', 'I', 42, 0}).putInt((int) at[0]);
        ifd0.write(out, at[0]);
        if (preview != null) {
            previewIfd.write(out, at[1]);
        }
        exif.write(out, at[2]);
        gps.write(out, at[3]);
        if (preview != null) {
            out.position((int) at[4]).put(preview);
        }
        byte[] raw = new byte[rawBytes];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 31 + i / rawWidth * 7);
        }
        out.position((int) at[5]).put(raw);
        return out.array();
    }

    /** A little-endian TIFF with one IFD (as CR3 files hold their metadata), filled by {@code fill}. */
    static byte[] tiff(java.util.function.Consumer<Ifd> fill) {
        Ifd ifd = new Ifd();
        fill.accept(ifd);
        ByteBuffer out = ByteBuffer.allocate(8 + (int) ifd.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(new byte[] {'I', 'I', 42, 0}).putInt(8);
        ifd.write(out, 8);
        return out.array();
    }

    public Path write(Path file) {
        return TestMedia.write(file, bytes());
    }

    /** One IFD: entries sorted by tag, values that do not fit in four bytes right after it. */
    static final class Ifd {
        private record Entry(int type, int count, java.util.function.Supplier<byte[]> value) {}

        private final Map<Integer, Entry> entries = new TreeMap<>();

        void add(int tag, int type, byte[] value) {
            entries.put(tag, new Entry(type, count(type, value), () -> value));
        }

        /** A value known only once the layout is (an offset); its length must not depend on it. */
        void addLater(int tag, int type, java.util.function.Supplier<byte[]> value) {
            entries.put(tag, new Entry(type, 1, value));
        }

        private static int count(int type, byte[] value) {
            return switch (type) {
                case SHORT -> value.length / 2;
                case LONG -> value.length / 4;
                case RATIONAL -> value.length / 8;
                default -> value.length;
            };
        }

        long size() {
            long size = 2 + 12L * entries.size() + 4;
            for (Entry entry : entries.values()) {
                int length = entry.value().get().length;
                size += length > 4 ? length + (length & 1) : 0;
            }
            return size;
        }

        void write(ByteBuffer out, long offset) {
            long extra = offset + 2 + 12L * entries.size() + 4;
            out.position((int) offset).putShort((short) entries.size());
            List<byte[]> overflow = new ArrayList<>();
            for (Map.Entry<Integer, Entry> e : entries.entrySet()) {
                byte[] value = e.getValue().value().get();
                out.putShort(e.getKey().shortValue()).putShort((short) e.getValue().type())
                        .putInt(e.getValue().count());
                if (value.length <= 4) {
                    out.put(Arrays.copyOf(value, 4));
                } else {
                    out.putInt((int) extra);
                    overflow.add(value);
                    extra += value.length + (value.length & 1);
                }
            }
            out.putInt(0); // no next IFD
            for (byte[] value : overflow) {
                out.put(value);
                if ((value.length & 1) == 1) {
                    out.put((byte) 0);
                }
            }
        }
    }

    static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(values).forEach(v -> b.putShort((short) v));
        return b.array();
    }

    static byte[] longs(long... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(values).forEach(v -> b.putInt((int) v));
        return b.array();
    }

    static byte[] rationals(int... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(values).forEach(b::putInt);
        return b.array();
    }

    static byte[] ascii(String text) {
        return (text + "\0").getBytes(StandardCharsets.US_ASCII);
    }
}
