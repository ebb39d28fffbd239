package io.assetindex.scan;

/**
 * How a scan treats what it finds.
 *
 * @param rehash         hash every file, even those whose size and mtime match the index, and try
 *                       every remembered failure again
 * @param retryFailures  try again files whose last attempt failed although they did not change
 *                       (a scan people ask for, and the watcher's start); rescans leave them alone
 *                       until they change or a transient failure's pause is over. A file that
 *                       brought the process down is tried again only by {@code rehash}
 * @param confirmDeletes the user confirmed that files missing from a watch path that looks
 *                       unmounted or emptied are gone: mark them deleted (see {@link VolumeGuard})
 */
public record ScanOptions(boolean rehash, boolean retryFailures, boolean confirmDeletes) {
    /** The scan command and the watcher's start-up scan. */
    public static final ScanOptions SCAN = new ScanOptions(false, true, false);
    /** The watcher's rescans: overflows, polls, bursts, folders that came back. */
    public static final ScanOptions RESCAN = new ScanOptions(false, false, false);
    /** Read everything again (scan --rehash, requeue). */
    public static final ScanOptions REHASH = new ScanOptions(true, true, false);
}
