package io.assetindex.index;

/**
 * An analyzer could not analyze a file. The message is one line for people (process_log,
 * logs, {@code show}); it says what is wrong with the file, not where the code failed.
 */
public final class AnalysisException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean transientFailure;

    public AnalysisException(String message) {
        this(message, false);
    }

    /** @param transientFailure the failure may pass without the file changing (see {@link Analysis.Failure}) */
    public AnalysisException(String message, boolean transientFailure) {
        super(message);
        this.transientFailure = transientFailure;
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
        this.transientFailure = false;
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
