package io.assetindex.state;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * What a running watcher (or server) says about itself: the state.json document, written by
 * {@link WatcherState} and read back by {@code status}, the API and {@code /metrics}. Every field
 * of DESIGN.md is here, null where unknown; times are ISO-8601 with the local offset. Fields a
 * later version adds are ignored when read, and missing ones are null, so an older or newer
 * state.json still reads.
 *
 * @param state        starting, scanning, watching, serving (the API without a watcher), stopping, stopped
 * @param queueDepth   files waiting or in progress
 * @param scanProgress the start-up scan's progress, or null
 * @param roots        each watch path's status: watching, polling, polling (cannot watch), missing
 * @param reanalysis   the background pass under way, or null
 * @param ai           per AI model since start: calls, failures, prompt_tokens, completion_tokens
 * @param api          where its HTTP API answers, or null when it does not serve one
 * @param apiError     why the API it should serve is down (the port was in use ...), else null
 * @param verification the scheduled re-verification (verify.every_days), or null when it is off
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WatcherSnapshot(
        long pid,
        String pidStartTime,
        String host,
        String version,
        String state,
        String watcherStartedAt,
        String updatedAt,
        long processedCount,
        long skippedCount,
        long failedCount,
        long queueDepth,
        Progress scanProgress,
        String lastProcessedAt,
        String lastProcessedPath,
        String lastError,
        List<String> watchPaths,
        double debounceSeconds,
        Map<String, String> roots,
        Reanalysis reanalysis,
        Map<String, Map<String, Long>> ai,
        Api api,
        String apiError,
        Verification verification) {

    /** Work done of work known. */
    public record Progress(long done, long total) {}

    /** Which analyzer the background pass runs, and how far it is. */
    public record Reanalysis(String analyzer, long done, long total) {}

    /**
     * The scheduled re-verification: the pass under way (state "verifying", with what it has read
     * of what was due when it started) or none ("idle"), when the last one finished, and how many
     * files it found with bytes changed behind their size and mtime since the watcher started.
     */
    public record Verification(String state, int everyDays, double maxMbPerSecond, Long doneFiles, Long dueFiles,
            Long doneBytes, Long dueBytes, String passStartedAt, String lastPassFinishedAt, long bitRotFound) {}

    /** The address of a running HTTP API: {@code http://127.0.0.1:8765}. */
    public record Api(String url) {}

    public WatcherSnapshot {
        watchPaths = watchPaths == null ? List.of() : List.copyOf(watchPaths);
        roots = roots == null ? Map.of() : roots;
        ai = ai == null ? Map.of() : ai;
    }
}
