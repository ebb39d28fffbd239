package io.assetindex.store;

/**
 * A file that could not be indexed, as remembered so that a rescan does not read it again while
 * it stays as it was ({@code failed_files}).
 *
 * @param sizeBytes        the size when it failed, or -1 when it could not be read (then it is never taken for unchanged)
 * @param mtimeNs          the mtime when it failed
 * @param contentHash      the SHA-256 when it got that far, else null
 * @param pipeline         the config hash of the analyzers that judged it: other settings or another
 *                         version may judge it otherwise, so it is tried again under them
 * @param transientFailure whether the failure may pass without the file changing (a time limit, a
 *                         read error, permissions): then it is tried again after a growing pause
 */
public record FileFailure(String sourceRoot, String relPath, long sizeBytes, long mtimeNs, String contentHash,
        String stage, String error, String pipeline, boolean transientFailure) {}
