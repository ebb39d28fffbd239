package io.assetindex.index;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import java.nio.file.Path;

/**
 * A media file found on disk, with the size and mtime seen when it was found.
 *
 * @param relPath the path relative to its root, with "/" separators (the stored identity)
 * @param mtimeNs modification time in nanoseconds since the epoch, as precise as the file system keeps it
 */
public record FileCandidate(WatchRoot root, Path file, String relPath, MediaType mediaType, long sizeBytes,
        long mtimeNs) {

    public String displayPath() {
        return root.displayPath(relPath);
    }

    public String jobId() {
        return root.jobIdFor(Path.of(relPath));
    }
}
