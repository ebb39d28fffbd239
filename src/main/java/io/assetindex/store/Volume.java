package io.assetindex.store;

import java.time.Instant;

/**
 * A file system a watch path's files live on, as last seen by a whole walk: the watch path itself
 * ({@code relPrefix} ""), or a mount point below it ("archive/"). What it held, and whether the
 * deletions under it are held back because it looked unmounted or emptied.
 *
 * @param device     the device it was on (as the OS numbers it)
 * @param files      the indexed files a walk found under it
 * @param heldSince  when deletions under it started being held back, or null
 * @param heldReason why, or null
 */
public record Volume(String relPrefix, String device, long files, Instant seenAt, Instant heldSince,
        String heldReason) {

    public boolean held() {
        return heldSince != null;
    }
}
