package io.assetindex.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Who is using an index database: every open {@link IndexDatabase} holds a shared OS lock on
 * {@code <database>.lock} for as long as it is open (the watcher, a scan, verify, import ...),
 * and replacing the database file ({@code restore}) needs it exclusively. So a restore never
 * pulls the file from under a process that would go on writing to the replaced one, and a
 * command started during a restore waits the seconds it takes.
 *
 * <p>The OS lock is per process, so the holders inside this JVM are counted here. Where the
 * lock file cannot be created (a read-only {@code .asset_index/}), nothing is locked: nothing
 * can be written there either.
 */
public final class IndexUseLock implements AutoCloseable {
    private static final Map<Path, Held> HELD = new HashMap<>();

    private record Held(FileChannel channel, FileLock lock, boolean exclusive, int[] users) {}

    /** The index is used by another process, or by this one; the message says what to do. */
    public static final class InUseException extends Exception {
        private static final long serialVersionUID = 1L;

        InUseException(Path database) {
            super("another asset-index command (a scan, verify, prune, import, requeue or a watcher) is using "
                    + database + "; wait for it to finish, or stop it, then run this again");
        }
    }

    private final Path key;

    private IndexUseLock(Path key) {
        this.key = key;
    }

    /** Shares the index with other users; waits while it is being replaced. */
    static IndexUseLock shared(Path database) {
        Path key = database.toAbsolutePath().normalize();
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held != null && !held.exclusive()) {
                held.users()[0]++;
                return new IndexUseLock(key);
            }
            if (held != null) {
                throw new StoreException("this process is replacing " + key + " and cannot open it meanwhile");
            }
            FileChannel channel = open(key);
            if (channel == null) {
                return new IndexUseLock(null);
            }
            try {
                HELD.put(key, new Held(channel, channel.lock(0, Long.MAX_VALUE, true), false, new int[] {1}));
            } catch (IOException e) {
                closeQuietly(channel);
                return new IndexUseLock(null);
            }
            return new IndexUseLock(key);
        }
    }

    /** Takes the index for this process alone, or says who is using it. */
    public static IndexUseLock exclusive(Path database) throws InUseException {
        Path key = database.toAbsolutePath().normalize();
        synchronized (HELD) {
            if (HELD.containsKey(key)) {
                throw new InUseException(key);
            }
            FileChannel channel = open(key);
            if (channel == null) {
                return new IndexUseLock(null);
            }
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (IOException | OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                closeQuietly(channel);
                throw new InUseException(key);
            }
            HELD.put(key, new Held(channel, lock, true, new int[] {1}));
            return new IndexUseLock(key);
        }
    }

    private static FileChannel open(Path database) {
        Path file = database.resolveSibling(database.getFileName() + ".lock");
        try {
            return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (key == null) {
            return;
        }
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held != null && --held.users()[0] == 0) {
                HELD.remove(key);
                closeQuietly(held.channel()); // releases the lock
            }
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
