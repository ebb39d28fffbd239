package io.assetindex.media;

/**
 * A media file could not be read or analyzed; the message is one line for people. A transient
 * one says nothing about the file (a tool ran out of time or memory) and may pass by itself.
 */
public final class MediaException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;

    public MediaException(String message) {
        this(message, false);
    }

    private MediaException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    /** A failure that may pass without the file changing: it is tried again later. */
    public static MediaException transientFailure(String message) {
        return new MediaException(message, true);
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
