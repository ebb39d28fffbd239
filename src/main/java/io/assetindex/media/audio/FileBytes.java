package io.assetindex.media.audio;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;

/**
 * Bounded reads of one file: every read names its place and length, both checked against the
 * file's size and against {@link #MAX_READ_BYTES} before a buffer is allocated, so a header that
 * declares gigabytes costs nothing. The first {@link #HEAD_BYTES} are read once and served from
 * memory (a small file is read in one call).
 */
final class FileBytes {
    /** The most one read may ask for: headers, tags and frames are far smaller. */
    static final int MAX_READ_BYTES = 1 << 20;
    static final int HEAD_BYTES = 64 << 10;

    private final FileChannel channel;
    private final long size;
    private final byte[] head;

    FileBytes(FileChannel channel) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.head = new byte[(int) Math.min(size, HEAD_BYTES)];
        fill(ByteBuffer.wrap(head), 0);
    }

    long size() {
        return size;
    }

    /** {@code length} bytes at {@code position}. */
    byte[] bytes(long position, int length) throws IOException, Unsure {
        if (length < 0 || length > MAX_READ_BYTES || position < 0 || position > size - length) {
            throw new Unsure(length + " bytes at " + position + " are not in the file of " + size + " bytes");
        }
        byte[] bytes = new byte[length];
        if (position + length <= head.length) {
            System.arraycopy(head, (int) position, bytes, 0, length);
        } else {
            fill(ByteBuffer.wrap(bytes), position);
        }
        return bytes;
    }

    ByteBuffer little(long position, int length) throws IOException, Unsure {
        return ByteBuffer.wrap(bytes(position, length)).order(ByteOrder.LITTLE_ENDIAN);
    }

    ByteBuffer big(long position, int length) throws IOException, Unsure {
        return ByteBuffer.wrap(bytes(position, length)).order(ByteOrder.BIG_ENDIAN);
    }

    /** Reads into {@code buffer} from {@code position} until it is full or the file ends; returns the bytes read. */
    int read(ByteBuffer buffer, long position) throws IOException {
        int start = buffer.position();
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                break;
            }
            at += read;
        }
        return buffer.position() - start;
    }

    private void fill(ByteBuffer buffer, long position) throws IOException {
        int wanted = buffer.remaining();
        if (read(buffer, position) < wanted) {
            throw new EOFException("the file became shorter while it was read");
        }
    }
}
