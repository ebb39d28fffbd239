package io.assetindex.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WatcherInfoTest {
    private static WatcherInfo info(ProcessIdentity process, String phase) {
        return WatcherInfo.of(Json.MAPPER.convertValue(Map.of("pid", process.pid(),
                "pid_start_time", Timestamps.local(process.startedAt(), ZoneOffset.UTC), "state", phase),
                WatcherSnapshot.class));
    }

    @Test
    void thisProcessIsRunning() {
        WatcherInfo info = info(ProcessIdentity.current(), "watching");
        assertThat(info.running()).isTrue();
        assertThat(info.stale()).isFalse();
    }

    @Test
    void aReusedPidIsNotTheWatcher() {
        ProcessIdentity self = ProcessIdentity.current();
        WatcherInfo info = info(new ProcessIdentity(self.pid(), self.startedAt().minus(Duration.ofHours(3))), "watching");
        assertThat(info.running()).isFalse();
        assertThat(info.stale()).isTrue();
    }

    @Test
    void aWatcherWhoseProcessEndedWithoutStoppingIsStale() throws Exception {
        Process process = new ProcessBuilder("sleep", "30").start();
        ProcessIdentity ended = new ProcessIdentity(process.pid(), process.info().startInstant().orElseThrow());
        process.destroyForcibly().waitFor();
        WatcherInfo info = info(ended, "scanning");
        assertThat(info.running()).isFalse();
        assertThat(info.stale()).isTrue();
        assertThat(info(ended, "stopped").stale()).isFalse();
    }
}
