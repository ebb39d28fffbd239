package io.assetindex.scan;

import io.assetindex.index.FileOutcome;

/** Hears how a scan goes, for progress displays. Called from worker threads. */
public interface ScanListener {
    ScanListener NONE = new ScanListener() {};

    /** The walk is done: this many files, of this many bytes, need hashing. */
    default void planned(long files, long bytes) {}

    /** One file is done. */
    default void finished(FileOutcome outcome, long sizeBytes) {}
}
