package io.assetindex.store;

import java.time.Instant;

/**
 * One row of {@code process_log}: an attempt at one file.
 *
 * @param filePath    the path as shown to people (relative to the workspace when inside it)
 * @param contentHash the SHA-256 when it got that far, else null
 * @param stage       for a failure, the stage that failed (stat, read, hash, probe, store ...)
 * @param error       for a failure, one line saying what is wrong
 * @param detail      for a success, what was done ("new content", "new path for known content" ...)
 */
public record LogEntry(
        long id,
        String filePath,
        String contentHash,
        ProcessStatus status,
        String stage,
        String error,
        String detail,
        long durationMs,
        Instant ranAt) {

    public static LogEntry ok(String filePath, String contentHash, String detail, long durationMs, Instant ranAt) {
        return new LogEntry(0, filePath, contentHash, ProcessStatus.OK, null, null, detail, durationMs, ranAt);
    }

    public static LogEntry skipped(String filePath, String contentHash, String detail, long durationMs, Instant ranAt) {
        return new LogEntry(0, filePath, contentHash, ProcessStatus.SKIPPED, null, null, detail, durationMs, ranAt);
    }

    public static LogEntry failed(String filePath, String contentHash, String stage, String error, long durationMs,
            Instant ranAt) {
        return new LogEntry(0, filePath, contentHash, ProcessStatus.FAILED, stage, error, null, durationMs, ranAt);
    }
}
