package io.assetindex.embed;

/** Texts could not be embedded; the message is one line that says why and what to do. */
public final class EmbeddingException extends Exception {
    private static final long serialVersionUID = 1L;

    public EmbeddingException(String message) {
        super(message);
    }

    public EmbeddingException(String message, Throwable cause) {
        super(message, cause);
    }
}
