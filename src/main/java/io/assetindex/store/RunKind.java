package io.assetindex.store;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The kinds of runs the scan history records ({@code scan_history.kind}). */
public enum RunKind {
    /** The {@code scan} command. */
    SCAN("scan"),
    /** The watcher's scan of every watch path when it starts. */
    SCAN_ON_START("scan-on-start"),
    /** A rescan by the watcher of a watch path or a folder in it: after lost events, a poll, a path that came back. */
    RESCAN("rescan"),
    /** The {@code verify} command. */
    VERIFY("verify"),
    /** The watcher's scheduled re-verification of indexed files. */
    VERIFICATION("verification");

    private final String id;

    RunKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Runs of this kind are the watcher's: they end with the watcher that ran them. */
    public boolean watchers() {
        return this == SCAN_ON_START || this == RESCAN || this == VERIFICATION;
    }

    public static Optional<RunKind> fromId(String id) {
        return Arrays.stream(values()).filter(kind -> kind.id.equals(id)).findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(RunKind::id).toList();
    }
}
