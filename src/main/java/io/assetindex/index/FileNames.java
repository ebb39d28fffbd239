package io.assetindex.index;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * File names as Java sees them. On Linux a name is bytes, decoded with the platform encoding
 * ({@code sun.jnu.encoding}, from the locale); a name that does not decode cannot be stored
 * as text and opened again. Under a non-UTF-8 locale (LANG unset, as under some service
 * managers) every non-ASCII name is such a name.
 */
public final class FileNames {
    private FileNames() {}

    public static String encoding() {
        return System.getProperty("sun.jnu.encoding", "UTF-8");
    }

    /** Whether the path's text form names the same file (false when the name does not decode). */
    static boolean roundTrips(Path file) {
        try {
            return file.equals(file.getFileSystem().getPath(file.toString()));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Why a name that does not round-trip cannot be indexed, and what to do. */
    static String undecodableReason() {
        return "its name is not valid " + encoding() + "; rename the file"
                + (encodingWarning().isPresent() ? ", or run asset-index with a UTF-8 locale (LANG=C.UTF-8)" : "")
                + " so it can be indexed";
    }

    /** A warning when file names are not decoded as UTF-8, else empty. */
    public static Optional<String> encodingWarning() {
        String encoding = encoding();
        if (encoding.equalsIgnoreCase("UTF-8") || encoding.equalsIgnoreCase("UTF8")) {
            return Optional.empty();
        }
        return Optional.of("file names are decoded as " + encoding + ", so names with non-ASCII characters"
                + " cannot be indexed; run asset-index with a UTF-8 locale (LANG=C.UTF-8)");
    }
}
