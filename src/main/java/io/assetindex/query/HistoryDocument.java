package io.assetindex.query;

import io.assetindex.store.RecordedRun;
import io.assetindex.util.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The document of {@code history --json} and {@code GET /api/v1/history}: a page of runs, newest
 * first, each with a {@code status}: how it ended ({@code ok}, {@code interrupted}, {@code failed}),
 * {@code running}, or {@code unfinished} when it has no end and the process that ran it is gone
 * (killed, crashed, the machine lost power); and its {@code counts} (a {@link io.assetindex.store.RunCounts}),
 * null until it ends well enough to count.
 *
 * <p>Whether that process is gone is known for certain on its own machine (its pid and start time,
 * see {@link io.assetindex.util.ProcessOwner}); of another machine's runs, only a watcher's run that a
 * later watcher there replaced is known to be gone, and the others are shown running.
 */
final class HistoryDocument {
    static final String RUNNING = "running";
    static final String UNFINISHED = "unfinished";

    private HistoryDocument() {}

    /**
     * @param host     this machine's name
     * @param alive    whether the process a row names (as {@code ProcessOwner} does) runs on this machine now
     */
    static Map<String, Object> of(RecordedRun.Page page, HistoryQuery query, String host, Predicate<String> alive,
            Instant now, ZoneId zone) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("total", page.total());
        document.put("limit", query.limit());
        document.put("offset", query.offset());
        document.put("kind", query.kind());
        document.put("runs", page.runs().stream().map(run -> run(run, status(run, host, alive), now, zone)).toList());
        return document;
    }

    private static String status(RecordedRun run, String host, Predicate<String> alive) {
        if (run.outcome() != null) {
            return run.outcome().id();
        }
        boolean gone = run.superseded() || (run.host().equals(host) && !alive.test(run.process()));
        return gone ? UNFINISHED : RUNNING;
    }

    private static Map<String, Object> run(RecordedRun run, String status, Instant now, ZoneId zone) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", run.id());
        out.put("kind", run.kind().id());
        out.put("status", status);
        out.put("started_at", Timestamps.local(run.startedAt(), zone));
        out.put("finished_at", run.finishedAt() == null ? null : Timestamps.local(run.finishedAt(), zone));
        Instant end = run.finishedAt() != null ? run.finishedAt() : status.equals(RUNNING) ? now : null;
        out.put("duration_seconds", end == null ? null
                : Math.max(0, Duration.between(run.startedAt(), end).toMillis()) / 1000.0);
        out.put("host", run.host());
        out.put("pid", run.pid());
        out.put("paths", run.paths());
        out.put("counts", run.counts());
        out.put("notes", run.notes());
        return out;
    }
}
