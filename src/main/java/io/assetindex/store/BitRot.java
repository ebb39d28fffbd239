package io.assetindex.store;

import java.time.Instant;

/**
 * A file whose bytes changed while its size and mtime did not (bit rot, a failing disk, a tool
 * that restores mtimes), as found by re-verification. The index keeps the recorded content.
 *
 * @param expectedHash the content the index records at the path
 * @param foundHash    what the file's bytes hash to now
 */
public record BitRot(String sourceRoot, String relPath, String expectedHash, String foundHash, long sizeBytes,
        Instant foundAt) {}
