package io.assetindex.store;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Vectors as stored: packed little-endian IEEE 754 float32, 4 bytes per dimension, byte for
 * byte what sqlite-vec reads, so {@code assets_vec} can be queried with sqlite-vec too.
 */
public final class Vectors {
    private Vectors() {}

    public static byte[] pack(float[] vector) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(vector);
        return buffer.array();
    }

    public static float[] unpack(byte[] bytes) {
        if (bytes.length % Float.BYTES != 0) {
            throw new IllegalArgumentException("a packed vector has a multiple of 4 bytes, not " + bytes.length);
        }
        float[] vector = new float[bytes.length / Float.BYTES];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(vector);
        return vector;
    }

    /** Unpacks into {@code target} at {@code offset} without allocating. */
    public static void unpackInto(byte[] bytes, float[] target, int offset) {
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(target, offset, bytes.length / Float.BYTES);
    }
}
