package io.assetindex.cli;

/** The exit codes of DESIGN.md; scripts rely on them. */
public final class ExitCode {
    /** Done. */
    public static final int OK = 0;
    /** Failed at run time (database unusable, nothing to scan, asset not found ...). */
    public static final int FAILURE = 1;
    /** Bad usage or configuration; nothing was done. */
    public static final int USAGE = 2;
    /** Another watcher holds the workspace lock. */
    public static final int LOCKED = 3;

    private ExitCode() {}
}
