package io.assetindex.scan;

import io.assetindex.index.FileOutcome;

/** Hears how a scan goes, for progress displays. Called from worker threads; closed after the scan. */
public interface ScanListener extends AutoCloseable {
    ScanListener NONE = new ScanListener() {};

    /**
     * The walk is done: it found {@code found} media files, of which {@code toProcess}, holding
     * {@code bytes} bytes, changed since the last scan and are processed now.
     */
    default void planned(long found, long toProcess, long bytes) {}

    /** One file is done. */
    default void finished(FileOutcome outcome, long sizeBytes) {}

    @Override
    default void close() {}
}
