package io.assetindex.store;

/** What the index remembers about a path, enough to decide whether the file changed. */
public record KnownPath(String relPath, String assetId, long sizeBytes, long mtimeNs, boolean deleted) {

    /** Same size and mtime as recorded, and not marked deleted: nothing to do. */
    public boolean unchanged(long currentSizeBytes, long currentMtimeNs) {
        return !deleted && sizeBytes == currentSizeBytes && mtimeNs == currentMtimeNs;
    }
}
