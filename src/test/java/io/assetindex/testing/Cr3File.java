package io.assetindex.testing;

import static io.assetindex.testing.DngFile.ASCII;
import static io.assetindex.testing.DngFile.LONG;
import static io.assetindex.testing.DngFile.RATIONAL;
import static io.assetindex.testing.DngFile.SHORT;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * Writes a Canon CR3 file as the cameras lay it out (an ISO media file, documented by the
 * canon_cr3 project): {@code ftyp} with brand {@code crx }, a {@code moov} box holding Canon's
 * metadata box (CMT1: IFD0, CMT2: the EXIF IFD, CMT4: GPS, each a small TIFF), a preview box
 * with a {@code PRVW} JPEG, and an {@code mdat} with the (here random) raw data.
 */
public final class Cr3File {
    static final byte[] CANON_UUID = HexFormat.of().parseHex("85c0b687820f11e08111f4ce462b6a48");
    static final byte[] PREVIEW_UUID = HexFormat.of().parseHex("eaf42b5e1c984b88b9fbb7dc406e4d16");

    private final int width;
    private final int height;
    private byte[] preview = TestMedia.jpegBytes(320, 213, 11);
    private int previewWidth = 320;
    private int previewHeight = 213;

    public Cr3File(int width, int height) {
        this.width = width;
        this.height = height;
    }

    public byte[] bytes() {
        byte[] cmt1 = DngFile.tiff(ifd -> {
            ifd.add(0x100, LONG, DngFile.longs(width));
            ifd.add(0x101, LONG, DngFile.longs(height));
            ifd.add(0x10F, ASCII, DngFile.ascii("Canon"));
            ifd.add(0x110, ASCII, DngFile.ascii("Canon EOS R6m2"));
            ifd.add(0x112, SHORT, DngFile.shorts(1));
        });
        byte[] cmt2 = DngFile.tiff(ifd -> {
            ifd.add(0x829A, RATIONAL, DngFile.rationals(1, 1000));
            ifd.add(0x829D, RATIONAL, DngFile.rationals(4, 1));
            ifd.add(0x8827, SHORT, DngFile.shorts(800));
            ifd.add(0x9003, ASCII, DngFile.ascii("2025:08:14 18:02:03"));
            ifd.add(0x9011, ASCII, DngFile.ascii("-04:00"));
            ifd.add(0x920A, RATIONAL, DngFile.rationals(70, 1));
            ifd.add(0xA002, LONG, DngFile.longs(width));
            ifd.add(0xA003, LONG, DngFile.longs(height));
            ifd.add(0xA434, ASCII, DngFile.ascii("RF24-70mm F2.8 L IS USM"));
        });
        byte[] cmt4 = DngFile.tiff(ifd -> {
            ifd.add(0x1, ASCII, DngFile.ascii("N"));
            ifd.add(0x2, RATIONAL, DngFile.rationals(40, 1, 45, 1, 0, 1));
            ifd.add(0x3, ASCII, DngFile.ascii("W"));
            ifd.add(0x4, RATIONAL, DngFile.rationals(73, 1, 59, 1, 0, 1));
        });
        byte[] canon = concat(CANON_UUID, box("CMT1", cmt1), box("CMT2", cmt2), box("CMT4", cmt4));
        ByteBuffer prvw = ByteBuffer.allocate(16 + preview.length);
        prvw.putInt(0).putShort((short) 1).putShort((short) previewWidth).putShort((short) previewHeight)
                .putShort((short) 1).putInt(preview.length).put(preview);
        byte[] previewBox = concat(PREVIEW_UUID, new byte[] {0, 0, 0, 0, 0, 0, 0, 1}, box("PRVW", prvw.array()));
        byte[] raw = new byte[width * height / 64];
        new java.util.Random(width).nextBytes(raw);
        return concat(box("ftyp", concat("crx ".getBytes(StandardCharsets.US_ASCII), new byte[] {0, 0, 0, 1},
                "crx isom".getBytes(StandardCharsets.US_ASCII))), box("moov", box("uuid", canon)),
                box("uuid", previewBox), box("mdat", raw));
    }

    public Path write(Path file) {
        return TestMedia.write(file, bytes());
    }

    private static byte[] box(String type, byte[] payload) {
        return concat(ByteBuffer.allocate(4).putInt(8 + payload.length).array(),
                type.getBytes(StandardCharsets.US_ASCII), payload);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
