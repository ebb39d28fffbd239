package io.assetindex.scan;

import io.assetindex.index.FileOutcome;

/** Hears how a scan goes, for progress displays. Called from worker threads; closed after the scan. */
public interface ScanListener extends AutoCloseable {
    ScanListener NONE = new ScanListener() {};

    /** The walk is done: this many files, of this many bytes, need hashing. */
    default void planned(long files, long bytes) {}

    /** One file is done. */
    default void finished(FileOutcome outcome, long sizeBytes) {}

    @Override
    default void close() {}
}
