package io.assetindex.state;

import io.assetindex.util.Timestamps;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * What the running watcher reports in state.json: its identity, phase, counters since it
 * started, the current scan's progress, its queue and the latest failure. Updated from any
 * thread; {@link #snapshot()} gives the document with every field of DESIGN.md (null where
 * unknown) plus {@code roots}, each watch path's status.
 */
public final class WatcherState {

    /** The watcher's life, in order; a server without a watcher is SERVING instead of scanning and watching. */
    public enum Phase {
        STARTING, SCANNING, WATCHING, SERVING, STOPPING, STOPPED
    }

    private final ProcessIdentity self;
    private final String host;
    private final String version;
    private final Instant startedAt;
    private final List<String> watchPaths;
    private final double debounceSeconds;
    private final Clock clock;

    private Phase phase = Phase.STARTING;
    private long processed;
    private long skipped;
    private long failed;
    private long[] scanProgress;
    private WatcherSnapshot.Verification verification;
    private String reanalyzing;
    private long[] reanalysisProgress;
    private Instant lastProcessedAt;
    private String lastProcessedPath;
    private String lastError;
    private final Map<String, String> rootStatus = new TreeMap<>();
    private IntSupplier queueDepth = () -> 0;
    private Supplier<Map<String, Map<String, Long>>> aiUsage = Map::of;
    private WatcherSnapshot.Api api;
    private String apiError;
    private boolean changed = true;

    public WatcherState(ProcessIdentity self, String host, String version, List<String> watchPaths,
            double debounceSeconds, Clock clock) {
        this.self = self;
        this.host = host;
        this.version = version;
        this.startedAt = clock.instant();
        this.watchPaths = List.copyOf(watchPaths);
        this.debounceSeconds = debounceSeconds;
        this.clock = clock;
    }

    public synchronized void phase(Phase next) {
        phase = next;
        if (next == Phase.STOPPED) {
            api = null;
        }
        changed = true;
    }

    public synchronized Phase phase() {
        return phase;
    }

    public synchronized void queueDepth(IntSupplier depth) {
        queueDepth = depth;
    }

    /** Calls, failures and tokens per AI model since start (read live, like the queue depth). */
    public synchronized void aiUsage(Supplier<Map<String, Map<String, Long>>> usage) {
        aiUsage = usage;
    }

    /** Where the HTTP API answers now, or null when it does not. */
    public synchronized void api(String url) {
        api = url == null ? null : new WatcherSnapshot.Api(url);
        apiError = null;
        changed = true;
    }

    /** The API should answer but does not: why (it is also the last error). */
    public synchronized void apiDown(String reason) {
        api = null;
        apiError = reason;
        changed = true;
        error(reason);
    }

    public synchronized void processed(String path) {
        processed++;
        lastProcessed(path);
    }

    public synchronized void skipped(String path) {
        skipped++;
        lastProcessed(path);
    }

    private void lastProcessed(String path) {
        lastProcessedAt = clock.instant();
        lastProcessedPath = path;
        changed = true;
    }

    public synchronized void failed(String path, String reason) {
        failed++;
        error(path + ": " + reason);
    }

    /** A problem that is not one file's failure (a missing watch path, a full disk ...). */
    public synchronized void error(String message) {
        lastError = message;
        changed = true;
    }

    public synchronized void scanProgress(long done, long total) {
        scanProgress = new long[] {done, total};
        changed = true;
    }

    public synchronized void scanDone() {
        scanProgress = null;
        changed = true;
    }

    /** Re-analysis after a configuration change: which analyzer, how far. */
    public synchronized void reanalysis(String analyzer, long done, long total) {
        reanalyzing = analyzer;
        reanalysisProgress = new long[] {done, total};
        changed = true;
    }

    public synchronized void reanalysisDone() {
        reanalyzing = null;
        reanalysisProgress = null;
        changed = true;
    }

    /** The scheduled re-verification's state, or null when it is off. */
    public synchronized void verification(WatcherSnapshot.Verification now) {
        verification = now;
        changed = true;
    }

    public synchronized void root(String name, String status) {
        if (!status.equals(rootStatus.put(name, status))) {
            changed = true;
        }
    }

    /** Whether anything changed since the last snapshot (the queue depth is always read live). */
    public synchronized boolean changedSinceSnapshot() {
        return changed;
    }

    /** The document to write; what it shows counts as seen ({@link #changedSinceSnapshot()} turns false). */
    public synchronized WatcherSnapshot snapshot() {
        changed = false;
        return view();
    }

    /** The document as of now, for a reader that does not write it (the API's status). */
    public synchronized WatcherSnapshot view() {
        return new WatcherSnapshot(self.pid(), local(self.startedAt()), host, version,
                phase.name().toLowerCase(Locale.ROOT), local(startedAt), local(clock.instant()), processed, skipped,
                failed, queueDepth.getAsInt(),
                scanProgress == null ? null : new WatcherSnapshot.Progress(scanProgress[0], scanProgress[1]),
                lastProcessedAt == null ? null : local(lastProcessedAt), lastProcessedPath, lastError, watchPaths,
                debounceSeconds, new LinkedHashMap<>(rootStatus),
                reanalyzing == null ? null
                        : new WatcherSnapshot.Reanalysis(reanalyzing, reanalysisProgress[0], reanalysisProgress[1]),
                new LinkedHashMap<>(aiUsage.get()), api, apiError, verification);
    }

    private String local(Instant instant) {
        return Timestamps.local(instant, clock.getZone());
    }
}
