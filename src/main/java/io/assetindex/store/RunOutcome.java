package io.assetindex.store;

import java.util.Locale;

/** How a recorded run ended ({@code scan_history.outcome}); a run that never ended has none. */
public enum RunOutcome {
    /** It did all it set out to do. */
    OK,
    /** The process was stopping (SIGTERM, Ctrl-C): it stopped early, and its counts are of what it did. */
    INTERRUPTED,
    /** An error ended it (the database failed); the notes say what. */
    FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static RunOutcome fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
