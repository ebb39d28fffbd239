package io.assetindex.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Small crafted files whose headers declare far more than they hold: what an attacker drops
 * into a watched folder to make a parser allocate gigabytes. Each is a few hundred bytes
 * (or a sparse file that takes no disk).
 */
public final class HostileFiles {
    private HostileFiles() {}

    /** A 1×1 PNG whose tEXt chunk declares 0x7FFFFFFF bytes: 93 bytes in all. */
    public static Path pngWithHugeTextChunk(Path file) {
        ByteArrayOutputStream png = pngStart(1, 1);
        byte[] text = "Comment\0hello".getBytes(StandardCharsets.ISO_8859_1);
        write(png, intBytes(0x7FFFFFFF));
        write(png, "tEXt".getBytes(StandardCharsets.ISO_8859_1));
        write(png, text);
        write(png, new byte[24]);
        return TestMedia.write(file, png.toByteArray());
    }

    /** A 1×1 PNG with a zTXt chunk of a few kilobytes that inflates to 17 MiB of zeros. */
    public static Path pngWithCompressedTextBomb(Path file) {
        ByteArrayOutputStream png = pngStart(1, 1);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        write(payload, "Comment\0\0".getBytes(StandardCharsets.ISO_8859_1));
        write(payload, deflate(new byte[17 << 20]));
        write(png, chunk("zTXt", payload.toByteArray()));
        write(png, chunk("IEND", new byte[0]));
        return TestMedia.write(file, png.toByteArray());
    }

    /** A WebP (RIFF) whose EXIF chunk declares 0x7FFFFFF0 bytes. */
    public static Path webpWithHugeExifChunk(Path file) {
        ByteBuffer riff = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        riff.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt(0x7FFFFFF0).put("WEBP".getBytes(StandardCharsets.ISO_8859_1));
        riff.put("EXIF".getBytes(StandardCharsets.ISO_8859_1)).putInt(0x7FFFFFF0);
        return TestMedia.write(file, riff.array());
    }

    /**
     * A HEIF header whose EXIF item (item 1 in iinf) is placed by iloc at 2 GiB long: boxes of
     * sane sizes, one extent length that is not.
     */
    public static Path heifWithHugeExifItem(Path file) {
        ByteArrayOutputStream infe = new ByteArrayOutputStream();
        write(infe, new byte[] {2, 0, 0, 0}); // version 2
        write(infe, new byte[] {0, 1, 0, 0}); // item 1, protection 0
        write(infe, "Exif".getBytes(StandardCharsets.ISO_8859_1));
        write(infe, new byte[] {0});
        ByteArrayOutputStream iinf = new ByteArrayOutputStream();
        write(iinf, new byte[] {0, 0, 0, 0, 0, 1}); // version 0, one entry
        write(iinf, box("infe", infe.toByteArray()));
        ByteBuffer iloc = ByteBuffer.allocate(4 + 2 + 2 + 2 + 2 + 2 + 4 + 4).order(ByteOrder.BIG_ENDIAN);
        iloc.putInt(0).putShort((short) 0x4400).putShort((short) 1); // 4-byte offsets and lengths, one item
        iloc.putShort((short) 1).putShort((short) 0).putShort((short) 1); // item 1, data ref 0, one extent
        iloc.putInt(64).putInt(0x7FFFFFF0);
        ByteArrayOutputStream meta = new ByteArrayOutputStream();
        write(meta, new byte[4]);
        write(meta, box("iinf", iinf.toByteArray()));
        write(meta, box("iloc", iloc.array()));
        ByteArrayOutputStream heif = new ByteArrayOutputStream();
        write(heif, box("ftyp", "heicmif1heic".getBytes(StandardCharsets.ISO_8859_1)));
        write(heif, box("meta", meta.toByteArray()));
        return TestMedia.write(file, heif.toByteArray());
    }

    /**
     * A baseline or progressive JPEG header declaring {@code width} × {@code height} pixels, with
     * a few hundred bytes of scan data: a progressive one would make a decoder hold every
     * coefficient of that picture.
     */
    public static Path jpegDeclaring(Path file, int width, int height, boolean progressive) {
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        write(jpeg, new byte[] {(byte) 0xFF, (byte) 0xD8});
        ByteBuffer dqt = ByteBuffer.allocate(69).put(new byte[] {(byte) 0xFF, (byte) 0xDB, 0, 67, 0});
        for (int i = 0; i < 64; i++) {
            dqt.put((byte) 1);
        }
        write(jpeg, dqt.array());
        ByteBuffer sof = ByteBuffer.allocate(19).order(ByteOrder.BIG_ENDIAN);
        sof.put((byte) 0xFF).put((byte) (progressive ? 0xC2 : 0xC0)).putShort((short) 17).put((byte) 8)
                .putShort((short) height).putShort((short) width).put((byte) 3)
                .put(new byte[] {1, 0x22, 0, 2, 0x11, 0, 3, 0x11, 0});
        write(jpeg, sof.array());
        for (int table : new int[] {0x00, 0x10}) { // one-code DC and AC tables
            ByteBuffer dht = ByteBuffer.allocate(22).put(new byte[] {(byte) 0xFF, (byte) 0xC4, 0, 20, (byte) table, 1});
            write(jpeg, dht.array());
        }
        write(jpeg, new byte[] {(byte) 0xFF, (byte) 0xDA, 0, 12, 3, 1, 0, 2, 0, 3, 0, 0, (byte) (progressive ? 0 : 0x3F), 0});
        write(jpeg, new byte[200]);
        write(jpeg, new byte[] {(byte) 0xFF, (byte) 0xD9});
        return TestMedia.write(file, jpeg.toByteArray());
    }

    /** An 8-bit grey TIFF declaring {@code width} × {@code height} pixels in one uncompressed strip, in a few bytes. */
    public static Path tiffWithOneHugeStrip(Path file, int width, int height) {
        return TestMedia.write(file, tiff(width, height, new int[][] {{273, 4, 1, 8}, {278, 4, 1, height}, {279, 4, 1, 100}}));
    }

    /**
     * A valid small TIFF whose ImageDescription tag declares {@code descriptionBytes} bytes at the
     * end of a sparse file of that size (no disk is used): a parser that allocates what the tag
     * declares allocates all of it.
     */
    public static Path tiffWithHugeDescription(Path file, int descriptionBytes) {
        Path tiff = TestMedia.write(file, tiff(4, 4, new int[][] {{270, 2, descriptionBytes, 4096}, {273, 4, 1, 8},
                {278, 4, 1, 4}, {279, 4, 1, 16}}));
        try (RandomAccessFile sparse = new RandomAccessFile(tiff.toFile(), "rw")) {
            sparse.setLength(4096L + descriptionBytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return tiff;
    }

    /** A little-endian TIFF with the size, grey 8-bit tags and {@code extra} entries (tag, type, count, value). */
    private static byte[] tiff(int width, int height, int[][] extra) {
        int[][] base = {{256, 4, 1, width}, {257, 4, 1, height}, {258, 3, 1, 8}, {259, 3, 1, 1}, {262, 3, 1, 1},
                {277, 3, 1, 1}};
        int[][] entries = new int[base.length + extra.length][];
        System.arraycopy(base, 0, entries, 0, base.length);
        System.arraycopy(extra, 0, entries, base.length, extra.length);
        java.util.Arrays.sort(entries, java.util.Comparator.comparingInt(e -> e[0]));
        ByteBuffer tiff = ByteBuffer.allocate(8 + 2 + 12 * entries.length + 4 + 64).order(ByteOrder.LITTLE_ENDIAN);
        tiff.put(new byte[] {'I', 'I', 42, 0}).putInt(8).putShort((short) entries.length);
        for (int[] entry : entries) {
            tiff.putShort((short) entry[0]).putShort((short) entry[1]).putInt(entry[2]);
            if (entry[1] == 3 && entry[2] == 1) {
                tiff.putShort((short) entry[3]).putShort((short) 0);
            } else {
                tiff.putInt(entry[3]);
            }
        }
        tiff.putInt(0);
        return tiff.array();
    }

    private static ByteArrayOutputStream pngStart(int width, int height) {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        write(png, new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).order(ByteOrder.BIG_ENDIAN);
        ihdr.putInt(width).putInt(height).put(new byte[] {8, 2, 0, 0, 0});
        write(png, chunk("IHDR", ihdr.array()));
        return png;
    }

    private static byte[] chunk(String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        ByteBuffer chunk = ByteBuffer.allocate(12 + data.length).order(ByteOrder.BIG_ENDIAN);
        chunk.putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue());
        return chunk.array();
    }

    private static byte[] box(String type, byte[] payload) {
        ByteBuffer box = ByteBuffer.allocate(8 + payload.length).order(ByteOrder.BIG_ENDIAN);
        box.putInt(8 + payload.length).put(type.getBytes(StandardCharsets.ISO_8859_1)).put(payload);
        return box.array();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer));
        }
        deflater.end();
        return out.toByteArray();
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).order(ByteOrder.BIG_ENDIAN).putInt(value).array();
    }

    private static void write(ByteArrayOutputStream out, byte[] bytes) {
        out.write(bytes, 0, bytes.length);
    }
}
