package io.assetindex.query;

/**
 * A query that cannot be answered, with one line for people and what kind of problem it is, so
 * the CLI picks an exit code and the API a status from it alike.
 */
public final class QueryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong: the request (exit 2, HTTP 400), nothing found (exit 1, 404), or the index (exit 1, 500/503). */
    public enum Kind {
        BAD_REQUEST, NOT_FOUND, FAILED, UNAVAILABLE
    }

    private final Kind kind;

    public QueryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
