package io.assetindex.state;

import com.fasterxml.jackson.databind.JsonNode;
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
public record WatcherInfo(JsonNode state, ProcessIdentity identity, boolean running) {

    public static Optional<WatcherInfo> read(StateFile file) {
        return file.read().map(WatcherInfo::of);
    }

    static WatcherInfo of(JsonNode state) {
        ProcessIdentity identity = null;
        try {
            if (state.path("pid").canConvertToLong() && state.path("pid_start_time").isTextual()) {
                identity = new ProcessIdentity(state.get("pid").asLong(),
                        Timestamps.parse(state.get("pid_start_time").asText()));
            }
        } catch (RuntimeException e) {
            identity = null;
        }
        return new WatcherInfo(state, identity, identity != null && identity.isRunning());
    }

    /** The phase it last wrote: starting, scanning, watching, stopping or stopped. */
    public String phase() {
        return state.path("state").asText("unknown");
    }

    /** It did not write "stopped" and is not running: it crashed or was killed. */
    public boolean stale() {
        return !running && !"stopped".equals(phase());
    }
}
