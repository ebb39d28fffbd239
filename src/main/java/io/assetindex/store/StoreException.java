package io.assetindex.store;

/**
 * The index database cannot be used: it cannot be opened, is locked, corrupt, or newer
 * than this program. Fatal for the command; the message names the file, the cause and
 * what to do.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
