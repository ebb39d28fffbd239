package io.assetindex.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes what a camera records into a JPEG: an EXIF APP1 segment with the make and model (IFD0)
 * and the lens and capture time (the Exif sub-IFD), as a camera writes them, so the probe reads
 * them as {@code camera_make}, {@code camera_model}, {@code lens} and {@code captured_at}.
 *
 * <p>Written by hand (a big-endian TIFF structure of ASCII entries, a few dozen bytes) rather
 * than with an imaging library: the tests need these four fields only, and a library for them
 * would be one more dependency to keep.
 */
public final class ExifCamera {
    private static final int TAG_MAKE = 0x010F;
    private static final int TAG_MODEL = 0x0110;
    private static final int TAG_EXIF_IFD = 0x8769;
    private static final int TAG_DATE_TIME_ORIGINAL = 0x9003;
    private static final int TAG_LENS_MODEL = 0xA434;
    private static final short TYPE_ASCII = 2;
    private static final short TYPE_LONG = 4;
    private static final int ENTRY_BYTES = 12;

    /**
     * @param takenAt as EXIF writes it, "2024:06:12 19:42:10"
     */
    public record Camera(String make, String model, String lens, String takenAt) {}

    private ExifCamera() {}

    /** Adds the camera's EXIF to a JPEG file that has none (after its JFIF segment, where cameras put it). */
    public static Path write(Path jpeg, Camera camera) {
        try {
            byte[] image = Files.readAllBytes(jpeg);
            if ((image[0] & 0xFF) != 0xFF || (image[1] & 0xFF) != 0xD8) {
                throw new IllegalArgumentException(jpeg + " is not a JPEG");
            }
            int at = 2;
            if ((image[2] & 0xFF) == 0xFF && (image[3] & 0xFF) == 0xE0) {
                at += 2 + ((image[4] & 0xFF) << 8 | (image[5] & 0xFF));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(image.length + 512);
            out.write(image, 0, at);
            out.write(app1(camera));
            out.write(image, at, image.length - at);
            Files.write(jpeg, out.toByteArray());
            return jpeg;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The APP1 segment: marker, length, "Exif\0\0", then the TIFF structure. */
    private static byte[] app1(Camera camera) {
        byte[] tiff = tiff(camera);
        ByteBuffer segment = ByteBuffer.allocate(4 + 6 + tiff.length);
        segment.putShort((short) 0xFFE1).putShort((short) (2 + 6 + tiff.length));
        segment.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII)).put(tiff);
        return segment.array();
    }

    /** Header, IFD0 (make, model, pointer to the Exif IFD), the Exif IFD (capture time, lens), then the strings. */
    private static byte[] tiff(Camera camera) {
        List<Entry> ifd0 = List.of(new Entry(TAG_MAKE, camera.make()), new Entry(TAG_MODEL, camera.model()));
        List<Entry> exif = new ArrayList<>();
        if (camera.takenAt() != null) {
            exif.add(new Entry(TAG_DATE_TIME_ORIGINAL, camera.takenAt()));
        }
        if (camera.lens() != null) {
            exif.add(new Entry(TAG_LENS_MODEL, camera.lens()));
        }
        int ifd0Offset = 8;
        int exifOffset = ifd0Offset + ifdBytes(ifd0.size() + 1);
        int dataOffset = exifOffset + ifdBytes(exif.size());
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        ByteBuffer tiff = ByteBuffer.allocate(dataOffset);
        tiff.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(ifd0Offset);
        tiff.putShort((short) (ifd0.size() + 1));
        for (Entry entry : ifd0) {
            entry.write(tiff, data, dataOffset);
        }
        tiff.putShort((short) TAG_EXIF_IFD).putShort(TYPE_LONG).putInt(1).putInt(exifOffset);
        tiff.putInt(0);
        tiff.putShort((short) exif.size());
        for (Entry entry : exif) {
            entry.write(tiff, data, dataOffset);
        }
        tiff.putInt(0);
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.writeBytes(tiff.array());
        all.writeBytes(data.toByteArray());
        return all.toByteArray();
    }

    private static int ifdBytes(int entries) {
        return 2 + entries * ENTRY_BYTES + 4;
    }

    /** An ASCII entry; its NUL-terminated text goes inline when it fits in 4 bytes, else to the data area. */
    private record Entry(int tag, String text) {
        void write(ByteBuffer ifd, ByteArrayOutputStream data, int dataOffset) {
            byte[] value = (text + "\0").getBytes(StandardCharsets.US_ASCII);
            ifd.putShort((short) tag).putShort(TYPE_ASCII).putInt(value.length);
            if (value.length <= 4) {
                ifd.put(value).put(new byte[4 - value.length]);
            } else {
                ifd.putInt(dataOffset + data.size());
                data.writeBytes(value);
                if (data.size() % 2 == 1) {
                    data.write(0); // values start on a word boundary
                }
            }
        }
    }
}
