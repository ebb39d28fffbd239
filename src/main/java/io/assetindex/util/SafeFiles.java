package io.assetindex.util;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Crash-safe file replacement: write a temp file next to the target, fsync it, rename it over
 * the target, fsync the folder. A crash leaves the old file or the new one, never a mix.
 */
public final class SafeFiles {
    private static final Pattern PURPOSE = Pattern.compile("[a-z]+");
    private static final Pattern TEMP_NAME = Pattern.compile("\\..+\\.[a-z]+-([0-9]+)-[0-9a-f]+\\.tmp");

    private SafeFiles() {}

    /** Writes {@code bytes} as {@code target}, crash-safe (temp file, fsync, rename, folder fsync). */
    public static void write(Path target, byte[] bytes, String purpose) throws IOException {
        Path temp = tempSibling(target, purpose);
        try {
            Files.write(temp, bytes);
            fsync(temp);
            replace(temp, target);
        } finally {
            deleteQuietly(temp);
        }
    }

    /**
     * Writes {@code bytes} as {@code target} through a temp file and a rename, without waiting for
     * the disk: a crash of the process leaves the old file or the new one, never a mix, but a power
     * cut may leave it empty until {@link #sync} returns. For files that nothing durable names before
     * they are synced.
     */
    public static void writeUnsynced(Path target, byte[] bytes, String purpose) throws IOException {
        Path temp = tempSibling(target, purpose);
        try {
            Files.write(temp, bytes);
            rename(temp, target);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp);
            throw e;
        }
    }

    /** Makes a file durable: its bytes, then its name in its folder. */
    public static void sync(Path file) throws IOException {
        fsync(file);
        syncFolder(file.toAbsolutePath().getParent());
    }

    /** Deletes a temp file if it is still there; a leftover is a dot file, harmless. */
    public static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // nothing to do: it is never indexed and the next write uses another name
        }
    }

    /** Flushes a file's bytes to the disk. */
    public static void fsync(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Renames {@code temp} over {@code target} (atomically where the file system can) and makes it durable. */
    public static void replace(Path temp, Path target) throws IOException {
        rename(temp, target);
        syncFolder(target.toAbsolutePath().getParent());
    }

    private static void rename(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Makes a rename durable; not possible on every platform, where it is skipped. */
    public static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a folder this way; the rename is still atomic.
        }
    }

    /**
     * A name for a temp file next to {@code target} that does not exist yet: {@code .<target name>.<purpose>-<pid>-<hex>.tmp},
     * a dot file, so never indexed, and recognised by {@link #isTempName} (so a leftover can be cleaned up).
     *
     * @param purpose lowercase letters only: what writes it ("thumb", "state", "backup" ...)
     */
    public static Path tempSibling(Path target, String purpose) {
        if (!PURPOSE.matcher(purpose).matches()) {
            throw new IllegalArgumentException("a temp file's purpose is lowercase letters, not '" + purpose + "'");
        }
        Path folder = target.toAbsolutePath().getParent();
        return folder.resolve("." + target.getFileName() + "." + purpose + "-" + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime()) + ".tmp");
    }

    /** Whether {@code fileName} is one that {@link #tempSibling} gives: a temp file of asset-index's own. */
    public static boolean isTempName(String fileName) {
        return TEMP_NAME.matcher(fileName).matches();
    }

    /** The pid of the process that wrote a temp file of asset-index's own (see {@link #tempSibling}), if it is one. */
    public static OptionalLong writerPid(String fileName) {
        Matcher name = TEMP_NAME.matcher(fileName);
        if (!name.matches()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(name.group(1)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
