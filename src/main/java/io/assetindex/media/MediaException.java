package io.assetindex.media;

/** A media file could not be read or analyzed; the message is one line for people. */
public final class MediaException extends Exception {
    private static final long serialVersionUID = 1L;

    public MediaException(String message) {
        super(message);
    }
}
