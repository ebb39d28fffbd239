package io.assetindex.media;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.imageio.stream.ImageInputStreamImpl;

/**
 * An ImageIO input stream over a file channel: random access without caching what was read, and
 * with a known length. The JDK's readers check what a header declares against that length (a
 * TIFF field pointing past the end is skipped instead of allocated), which they cannot do on a
 * stream of unknown length; and a reader seeking around a large TIFF reads from the file
 * instead of holding every byte read so far in memory, as a memory-cached stream does. Opened
 * from a {@link Path}, so the file name keeps its exact bytes.
 */
final class ChannelImageInputStream extends ImageInputStreamImpl {
    /** Small reads (a reader parsing headers byte by byte) are served from this much read ahead. */
    private static final int READ_AHEAD = 16 * 1024;

    private final FileChannel channel;
    private final long length;
    private final byte[] buffer = new byte[READ_AHEAD];
    private long bufferStart;
    private int bufferLength;

    private ChannelImageInputStream(FileChannel channel) throws IOException {
        this.channel = channel;
        this.length = channel.size();
    }

    static ChannelImageInputStream open(Path file) throws IOException {
        return new ChannelImageInputStream(FileChannel.open(file, StandardOpenOption.READ));
    }

    @Override
    public int read() throws IOException {
        checkClosed();
        bitOffset = 0;
        if (!buffered() && !fill()) {
            return -1;
        }
        return buffer[(int) (streamPos++ - bufferStart)] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int count) throws IOException {
        checkClosed();
        bitOffset = 0;
        if (count == 0) {
            return 0;
        }
        if (!buffered() && count >= READ_AHEAD) {
            int read = channel.read(ByteBuffer.wrap(bytes, offset, count), streamPos);
            if (read > 0) {
                streamPos += read;
            }
            return read;
        }
        if (!buffered() && !fill()) {
            return -1;
        }
        int n = (int) Math.min(count, bufferStart + bufferLength - streamPos);
        System.arraycopy(buffer, (int) (streamPos - bufferStart), bytes, offset, n);
        streamPos += n;
        return n;
    }

    private boolean buffered() {
        return streamPos >= bufferStart && streamPos < bufferStart + bufferLength;
    }

    private boolean fill() throws IOException {
        bufferStart = streamPos;
        bufferLength = Math.max(0, channel.read(ByteBuffer.wrap(buffer), streamPos));
        return bufferLength > 0;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public void close() throws IOException {
        super.close();
        channel.close();
    }
}
