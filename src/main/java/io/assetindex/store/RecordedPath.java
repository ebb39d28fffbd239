package io.assetindex.store;

/**
 * What a walk needs to know of a recorded path to tell whether its file changed: a
 * {@link KnownPath} without the content hash, which a walk never reads (at a million paths the
 * hashes alone would hold about 100 MB while the start-up scan runs).
 */
public record RecordedPath(String relPath, long sizeBytes, long mtimeNs, boolean deleted) {

    /** Same size and mtime as recorded, and not marked deleted: nothing to do. */
    public boolean unchanged(long currentSizeBytes, long currentMtimeNs) {
        return !deleted && sizeBytes == currentSizeBytes && mtimeNs == currentMtimeNs;
    }
}
