package io.assetindex.index;

/**
 * What happened to one file.
 *
 * @param bytesHashed bytes read to hash it (0 when it was not hashed)
 * @param stage       for a failure, the stage that failed
 * @param error       for a failure, one line saying what is wrong
 * @param partial     indexed, but an optional analyzer failed (a remote embedding API was down):
 *                    a later re-analysis pass fills in what is missing
 * @param integrity   what the integrity check said of the content in this attempt (run now or
 *                    taken from the cache); {@link Integrity#NONE} when it did not get to the content
 */
public record FileOutcome(Kind kind, String displayPath, String contentHash, long bytesHashed, long durationMs,
        String stage, String error, boolean partial, Integrity integrity) {

    /** The integrity check's verdict on a file, as far as damage goes. */
    public enum Integrity {
        /** Nothing found, or not checked in this attempt (known content, unchanged file, an earlier failure). */
        NONE,
        /** Readable, with warnings: indexed. */
        WARNINGS,
        /** Damaged: not indexed. */
        CORRUPT
    }

    public enum Kind {
        /** New content: analyzed and stored. */
        INDEXED,
        /** Known content at a new path: the path was recorded, nothing analyzed. */
        LINKED,
        /** Known content at the same path. */
        SKIPPED,
        /** Same size and mtime as recorded: not even hashed, no process_log row. */
        UNCHANGED,
        /** Not indexed; see stage and error. Retried on the next change or start. */
        FAILED,
        /** Left off because the process is stopping (the thread was interrupted): nothing written. */
        ABANDONED
    }
}
