package io.assetindex.ai;

/** A remote API could not do what was asked; the message is one line for people, without the API key. */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;

    public ApiException(String message) {
        super(message);
    }
}
