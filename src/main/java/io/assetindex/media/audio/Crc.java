package io.assetindex.media.audio;

/**
 * The checksums of FLAC frames (CRC-8, poly 0x07; CRC-16, poly 0x8005) and Ogg pages (CRC-32, poly
 * 0x04C11DB7), unreflected, and of MP3's LAME tag (CRC-16/ARC: 0x8005 reflected).
 */
final class Crc {
    private static final int[] CRC8 = new int[256];
    private static final int[] CRC16 = new int[256];
    private static final int[] CRC32 = new int[256];
    private static final int[] CRC16_ARC = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int c8 = i;
            int c16 = i << 8;
            int c32 = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                c8 = (c8 & 0x80) != 0 ? (c8 << 1) ^ 0x07 : c8 << 1;
                c16 = (c16 & 0x8000) != 0 ? (c16 << 1) ^ 0x8005 : c16 << 1;
                c32 = (c32 & 0x80000000) != 0 ? (c32 << 1) ^ 0x04C11DB7 : c32 << 1;
            }
            CRC8[i] = c8 & 0xFF;
            CRC16[i] = c16 & 0xFFFF;
            CRC32[i] = c32;
            int arc = i;
            for (int bit = 0; bit < 8; bit++) {
                arc = (arc & 1) != 0 ? (arc >>> 1) ^ 0xA001 : arc >>> 1;
            }
            CRC16_ARC[i] = arc;
        }
    }

    private Crc() {}

    static int crc8(int crc, int value) {
        return CRC8[(crc ^ value) & 0xFF];
    }

    static int crc16(int crc, int value) {
        return ((crc << 8) ^ CRC16[((crc >>> 8) ^ value) & 0xFF]) & 0xFFFF;
    }

    static int crc16Arc(int crc, int value) {
        return (crc >>> 8) ^ CRC16_ARC[(crc ^ value) & 0xFF];
    }

    static int crc32(int crc, int value) {
        return (crc << 8) ^ CRC32[((crc >>> 24) ^ value) & 0xFF];
    }
}
