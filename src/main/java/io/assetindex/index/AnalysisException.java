package io.assetindex.index;

/**
 * An analyzer could not analyze a file. The message is one line for people (process_log,
 * logs, {@code show}); it says what is wrong with the file, not where the code failed.
 */
public final class AnalysisException extends Exception {
    private static final long serialVersionUID = 1L;

    public AnalysisException(String message) {
        super(message);
    }

    public AnalysisException(String message, Throwable cause) {
        super(message, cause);
    }
}
