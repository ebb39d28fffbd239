package io.assetindex.media;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A JPEG's frame header (SOF): its size, whether it is progressive, and how much memory a
 * decoder needs for it. A progressive JPEG cannot be decoded row by row: the JDK's decoder
 * (libjpeg, native memory that {@code -Xmx} does not cap) keeps every DCT coefficient of the
 * whole picture, two bytes each, per component at its sampling; a 350-byte file declaring
 * 46,000 × 46,000 pixels would take 6 GB. Reads markers up to the first scan only.
 */
record JpegFrame(int width, int height, boolean progressive, boolean lossless, long coefficientBytes) {
    /** Markers are read at most this far into the file; the frame header comes before any image data. */
    private static final int MAX_HEADER_BYTES = 4 << 20;

    /** The frame header, or empty when the file has none before its first scan (not a JPEG, or damaged). */
    static Optional<JpegFrame> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** The frame header of the JPEG {@code stream} starts with (read up to it only; the caller closes it). */
    static Optional<JpegFrame> read(InputStream stream) throws IOException {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(stream, 8192));
            if (in.readUnsignedShort() != 0xFFD8) {
                return Optional.empty();
            }
            long position = 2;
            while (position < MAX_HEADER_BYTES) {
                int marker = nextMarker(in);
                position += 2;
                if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                    continue; // markers without a length
                }
                int length = in.readUnsignedShort();
                if (length < 2) {
                    return Optional.empty();
                }
                if (isFrame(marker)) {
                    return Optional.of(frame(in, marker));
                }
                if (marker == 0xDA || marker == 0xD9) {
                    return Optional.empty(); // a scan or the end before any frame header
                }
                skip(in, length - 2);
                position += length;
            }
            return Optional.empty();
        } catch (EOFException e) {
            return Optional.empty();
        }
    }

    /** SOF0-3, 5-7, 9-11, 13-15 (C4 is DHT, C8 is reserved, CC is DAC). */
    private static boolean isFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static JpegFrame frame(DataInputStream in, int marker) throws IOException {
        in.readUnsignedByte(); // sample precision
        int height = in.readUnsignedShort();
        int width = in.readUnsignedShort();
        int components = in.readUnsignedByte();
        int[] h = new int[components];
        int[] v = new int[components];
        int maxH = 1;
        int maxV = 1;
        for (int i = 0; i < components; i++) {
            in.readUnsignedByte(); // component id
            int sampling = in.readUnsignedByte();
            h[i] = Math.max(1, sampling >> 4);
            v[i] = Math.max(1, sampling & 0xF);
            maxH = Math.max(maxH, h[i]);
            maxV = Math.max(maxV, v[i]);
            in.readUnsignedByte(); // quantization table
        }
        long coefficients = 0;
        for (int i = 0; i < components; i++) {
            long blocksWide = ceilDiv((long) width * h[i], 8L * maxH) + maxH;
            long blocksHigh = ceilDiv((long) height * v[i], 8L * maxV) + maxV;
            coefficients += blocksWide * blocksHigh * 64 * 2;
        }
        // SOF2, 6, 10, 14 are progressive: every coefficient is held until the last scan.
        boolean progressive = (marker & 0x3) == 2;
        // SOF3, 7, 11, 15 are lossless (camera RAW data), which the JDK does not decode.
        boolean lossless = (marker & 0x3) == 3;
        return new JpegFrame(width, height, progressive, lossless, coefficients);
    }

    private static int nextMarker(InputStream in) throws IOException {
        int b = in.read();
        while (b != 0xFF) { // tolerate padding and garbage between segments
            if (b < 0) {
                throw new EOFException();
            }
            b = in.read();
        }
        while (b == 0xFF) {
            b = in.read();
        }
        if (b < 0) {
            throw new EOFException();
        }
        return b;
    }

    private static void skip(DataInputStream in, int bytes) throws IOException {
        if (in.skipBytes(bytes) < bytes) {
            throw new EOFException();
        }
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
