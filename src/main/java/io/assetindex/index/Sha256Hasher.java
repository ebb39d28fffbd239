package io.assetindex.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * Streaming SHA-256 of a file's bytes, in constant memory per file being hashed.
 *
 * <p>Reads 1 MiB at a time into a direct buffer taken from a pool (no per-read allocation); on
 * x86-64 and AArch64 the JDK's SHA-256 intrinsic uses the CPU's SHA instructions, which puts
 * throughput level with {@code openssl dgst -sha256} (see the scan benchmark).
 *
 * <p>The buffer starts on a page boundary. {@code allocateDirect} memory usually starts 16
 * bytes past one, and copying from there into the digest's 4 KiB chunk buffer measured about
 * 30% slower (consistent with 4K-aliasing stalls in the copy). Memory-mapping would avoid the
 * copy but turns a file truncated during the read into a JVM-level fault, so it is not used.
 *
 * <p>The pool holds as many buffers as files were ever hashed at once (the workers'), not one per
 * thread that ever hashed: indexing keeps many more threads than workers (files in flight that
 * wait for an embedding or a commit), and a buffer per thread held 64 to 128 MiB of memory.
 */
public final class Sha256Hasher implements Hasher {
    static final int BUFFER_BYTES = 1 << 20;

    private static final int PAGE_BYTES = 4096;

    /** Buffers not in use, the last returned first (its pages are the likeliest to be resident). */
    private final ConcurrentLinkedDeque<ByteBuffer> free = new ConcurrentLinkedDeque<>();

    /** Called before each read of at most {@link #BUFFER_BYTES}: may wait (a speed limit, other work first). */
    @FunctionalInterface
    public interface Pacing {
        Pacing NONE = bytesSoFar -> { };

        void beforeRead(long bytesSoFar) throws InterruptedException;
    }

    @Override
    public Result hash(Path file) throws IOException {
        try {
            return hash(file, Pacing.NONE);
        } catch (InterruptedException e) {
            throw new AssertionError("no pacing, no wait", e);
        }
    }

    /** The hash, reading at the pace {@code pacing} sets. */
    public Result hash(Path file, Pacing pacing) throws IOException, InterruptedException {
        MessageDigest digest = newDigest();
        ByteBuffer buffer = take();
        long total = 0;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            pacing.beforeRead(0);
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                total += buffer.remaining();
                digest.update(buffer);
                buffer.clear();
                pacing.beforeRead(total);
            }
        } finally {
            buffer.clear();
            free.push(buffer);
        }
        return new Result(HexFormat.of().formatHex(digest.digest()), total);
    }

    private ByteBuffer take() {
        ByteBuffer buffer = free.poll();
        return buffer != null ? buffer
                : ByteBuffer.allocateDirect(BUFFER_BYTES + PAGE_BYTES).alignedSlice(PAGE_BYTES).limit(BUFFER_BYTES).slice();
    }

    /** The lower-case hex SHA-256 of {@code bytes}. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest().digest(bytes));
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
