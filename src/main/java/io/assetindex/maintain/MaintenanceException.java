package io.assetindex.maintain;

/** A maintenance command cannot do what was asked; the message is one line with the cause and what to do. */
public final class MaintenanceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MaintenanceException(String message) {
        super(message);
    }

    public MaintenanceException(String message, Throwable cause) {
        super(message, cause);
    }
}
