package io.assetindex.search;

/** A search cannot be answered; the message says why and what to do. */
public final class SearchException extends Exception {
    private static final long serialVersionUID = 1L;

    public SearchException(String message) {
        super(message);
    }
}
