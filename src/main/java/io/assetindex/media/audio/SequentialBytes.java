package io.assetindex.media.audio;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A file read front to back through one buffer (256 KiB, or the file's size if smaller), for checks that walk the whole stream
 * (frames, pages): any byte by its position, refilled as the walk moves on. Looking a few bytes
 * ahead or back costs at most one refill.
 */
final class SequentialBytes {
    private static final int BUFFER_BYTES = 256 << 10;
    private static final int KEEP_BEHIND = 64;

    private final FileBytes file;
    private final ByteBuffer buffer;
    private long start;
    private int length;

    SequentialBytes(FileBytes file) {
        this.file = file;
        this.buffer = ByteBuffer.allocate((int) Math.min(BUFFER_BYTES, Math.max(file.size(), 1)));
    }

    long size() {
        return file.size();
    }

    /**
     * The byte at {@code position} (0 to 255).
     *
     * @throws EOFException past the end of the file (a walk should have stopped before)
     */
    int get(long position) throws IOException {
        if (position < start || position >= start + length) {
            fill(Math.max(0, position - KEEP_BEHIND));
            if (position >= start + length) {
                throw new EOFException("byte " + position + " of a file of " + file.size());
            }
        }
        return buffer.get((int) (position - start)) & 0xFF;
    }

    private void fill(long from) throws IOException {
        buffer.clear();
        start = from;
        length = file.read(buffer, from);
    }
}
