package io.assetindex.state;

import io.assetindex.util.Timestamps;
import java.util.Optional;

/**
 * What state.json says about the last watcher of a workspace, and whether that watcher is
 * running now: its pid is alive and belongs to a process with the recorded start time (a
 * reused pid is not the watcher).
 *
 * @param state     the document
 * @param identity  the pid and start time it names, if readable
 * @param running   whether that very process is alive
 */
public record WatcherInfo(WatcherSnapshot state, ProcessIdentity identity, boolean running) {

    public static Optional<WatcherInfo> read(StateFile file) {
        return file.read().map(WatcherInfo::of);
    }

    static WatcherInfo of(WatcherSnapshot state) {
        ProcessIdentity identity = identity(state.pid(), state.pidStartTime());
        return new WatcherInfo(state, identity, identity != null && identity.isRunning());
    }

    /** The process state.json names by its pid and start time; null when it names none readably. */
    static ProcessIdentity identity(long pid, String pidStartTime) {
        try {
            return pid > 0 && pidStartTime != null ? new ProcessIdentity(pid, Timestamps.parse(pidStartTime)) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The phase it last wrote: starting, scanning, watching, stopping or stopped. */
    public String phase() {
        return state.state() == null ? "unknown" : state.state();
    }

    /** It did not write "stopped" and is not running: it crashed or was killed. */
    public boolean stale() {
        return !running && !"stopped".equals(phase());
    }
}
