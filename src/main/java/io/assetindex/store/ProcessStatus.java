package io.assetindex.store;

import java.util.Locale;

/** The outcome of one attempt at a file, as stored in {@code process_log.status}. */
public enum ProcessStatus {
    OK,
    SKIPPED,
    FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ProcessStatus fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
