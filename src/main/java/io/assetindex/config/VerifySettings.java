package io.assetindex.config;

/**
 * The watcher's scheduled re-verification: every indexed file is read again and its SHA-256
 * compared with the recorded one, to find content that changed without its size or mtime
 * changing (bit rot).
 *
 * @param everyDays        each live file is re-read at least this often; 0 turns it off
 * @param maxMbPerSecond   reading speed limit in MB (10^6 bytes) per second; 0 means no limit
 */
public record VerifySettings(int everyDays, double maxMbPerSecond) {
    public static final VerifySettings OFF = new VerifySettings(0, 0);

    public boolean enabled() {
        return everyDays > 0;
    }
}
