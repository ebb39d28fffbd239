package io.assetindex.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;

/**
 * An OS file lock that one process at a time holds: the single-instance lock of a workspace
 * ({@code .asset_index/watcher.lock}, held for the watcher's whole life), and the lock on a pair of
 * log files (see {@code LogFiles}). The OS releases it when the process ends in any way (kill -9
 * included), so a lock that can be taken is never stale; a process that cannot take it is told
 * which pid holds it, read from the file, where the holder writes "{@code <pid> <start time>}".
 */
public final class InstanceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Thrown when another process holds the lock. */
    public static final class HeldException extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient ProcessIdentity holder;

        HeldException(ProcessIdentity holder) {
            super(holder == null ? "held by another process" : "held by pid " + holder.pid());
            this.holder = holder;
        }

        /** The holder as it wrote itself into the lock file, if it could be read. */
        public Optional<ProcessIdentity> holder() {
            return Optional.ofNullable(holder);
        }
    }

    /**
     * Takes the lock at {@code file} for {@code self}.
     *
     * @throws HeldException when another process (or this one) holds it
     */
    public static InstanceLock acquire(Path file, ProcessIdentity self) throws IOException, HeldException {
        Files.createDirectories(file.getParent());
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            ProcessIdentity holder = readHolder(channel);
            channel.close();
            throw new HeldException(holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((self.pid() + " " + self.startedAt() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(true);
        return new InstanceLock(channel, lock);
    }

    private static ProcessIdentity readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(256);
            channel.read(buffer, 0);
            String[] parts = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip().split(" ");
            return parts.length == 2 ? new ProcessIdentity(Long.parseLong(parts[0]), Instant.parse(parts[1])) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
