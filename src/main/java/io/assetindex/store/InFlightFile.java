package io.assetindex.store;

/**
 * A file whose new content a process is analysing ({@code files_in_flight}): written before the
 * analysis starts, removed in the transaction that records its outcome. A row whose owner is no
 * longer running names the files that were in flight when that process died.
 *
 * @param owner   the process analysing it ({@link io.assetindex.util.ProcessOwner})
 * @param alone   it was being analysed with no other file in flight, after a crash
 * @param crashes how many times a process died while analysing it alone
 */
public record InFlightFile(String sourceRoot, String relPath, String displayPath, long sizeBytes, long mtimeNs,
        String contentHash, String owner, boolean alone, int crashes) {}
