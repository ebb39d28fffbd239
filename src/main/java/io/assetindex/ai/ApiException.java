package io.assetindex.ai;

/**
 * A remote API could not do what was asked; the message is one line for people, without the
 * API key. {@link #answered()} tells an API that answered, but with something that cannot be
 * used (asking again would most likely be paid for and fail the same way), from one that could
 * not be reached or refused (worth trying again later).
 */
public final class ApiException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean answered;

    public ApiException(String message) {
        this(message, false);
    }

    public ApiException(String message, boolean answered) {
        super(message);
        this.answered = answered;
    }

    public boolean answered() {
        return answered;
    }
}
