package io.assetindex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes a folder impossible to write into for the test's process: mode 0555, and when the tests
 * run as root (whom modes do not stop) the immutable attribute ({@code chattr +i}). Skips the
 * test where neither works. Closing undoes it, so the temp folder can be deleted.
 */
public final class ReadOnlyFolder implements AutoCloseable {
    private final Path folder;
    private final boolean immutable;

    private ReadOnlyFolder(Path folder, boolean immutable) {
        this.folder = folder;
        this.immutable = immutable;
    }

    public static ReadOnlyFolder of(Path folder) {
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-xr-xr-x"));
            boolean immutable = false;
            if (writable(folder)) {
                immutable = chattr("+i", folder);
            }
            ReadOnlyFolder readOnly = new ReadOnlyFolder(folder, immutable);
            if (writable(folder)) {
                readOnly.close();
                Assumptions.abort("cannot make " + folder + " read-only for this user");
            }
            return readOnly;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean writable(Path folder) {
        try {
            Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean chattr(String change, Path folder) {
        try {
            Process process = new ProcessBuilder("chattr", change, folder.toString()).redirectErrorStream(true).start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void close() {
        if (immutable) {
            chattr("-i", folder);
        }
        try {
            Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
