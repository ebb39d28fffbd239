package io.assetindex.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatcherStateTest {
    private static final List<String> DESIGN_FIELDS = List.of("pid", "pid_start_time", "host", "version", "state",
            "watcher_started_at", "updated_at", "processed_count", "skipped_count", "failed_count", "queue_depth",
            "scan_progress", "last_processed_at", "last_processed_path", "last_error", "watch_paths", "debounce_seconds");

    @TempDir
    Path dir;

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-21T09:00:00Z"), ZoneId.of("Europe/Paris"));
    private final ProcessIdentity self = new ProcessIdentity(4242, Instant.parse("2026-11-21T08:59:58Z"));

    private WatcherState state() {
        return new WatcherState(self, "edit-bay", "0.1.0", List.of("raw_assets"), 1.5, clock);
    }

    @Test
    void newStateHasEveryDesignFieldWithNullsWhereUnknown() {
        Map<String, Object> snapshot = state().snapshot();
        assertThat(snapshot.keySet()).containsAll(DESIGN_FIELDS);
        assertThat(snapshot).containsEntry("state", "starting").containsEntry("pid", 4242L)
                .containsEntry("pid_start_time", "2026-11-21T09:59:58.000+01:00")
                .containsEntry("watcher_started_at", "2026-11-21T10:00:00.000+01:00")
                .containsEntry("scan_progress", null).containsEntry("last_error", null)
                .containsEntry("last_processed_path", null).containsEntry("debounce_seconds", 1.5);
    }

    @Test
    void countsOutcomesAndKeepsTheLatestFailureWithItsPath() {
        WatcherState state = state();
        state.processed("raw_assets/a.jpg");
        state.skipped("raw_assets/b.jpg");
        state.failed("raw_assets/c.jpg", "empty file");
        state.scanProgress(3, 10);
        state.queueDepth(() -> 7);

        Map<String, Object> snapshot = state.snapshot();

        assertThat(snapshot).containsEntry("processed_count", 1L).containsEntry("skipped_count", 1L)
                .containsEntry("failed_count", 1L).containsEntry("queue_depth", 7)
                .containsEntry("last_processed_path", "raw_assets/b.jpg")
                .containsEntry("last_error", "raw_assets/c.jpg: empty file")
                .containsEntry("scan_progress", Map.of("done", 3L, "total", 10L));
    }

    @Test
    void reportsReanalysisProgressWhileItRuns() {
        WatcherState state = state();
        assertThat(state.snapshot()).containsEntry("reanalysis", null);
        state.reanalysis("thumbnail", 3, 10);
        assertThat(state.snapshot()).containsEntry("reanalysis", Map.of("analyzer", "thumbnail", "done", 3L, "total", 10L));
        state.reanalysisDone();
        assertThat(state.snapshot()).containsEntry("reanalysis", null);
    }

    @Test
    void reportsChangesOnlyOnce() {
        WatcherState state = state();
        state.snapshot();
        assertThat(state.changedSinceSnapshot()).isFalse();
        state.phase(WatcherState.Phase.WATCHING);
        assertThat(state.changedSinceSnapshot()).isTrue();
        state.snapshot();
        state.root("raw_assets", "watching");
        state.snapshot();
        state.root("raw_assets", "watching");
        assertThat(state.changedSinceSnapshot()).isFalse();
    }

    @Test
    void stateFileIsReplacedWholeAndReadBack() throws IOException {
        StateFile file = new StateFile(dir.resolve("state.json"));
        WatcherState state = state();
        file.write(state.snapshot());
        state.phase(WatcherState.Phase.WATCHING);
        file.write(state.snapshot());

        JsonNode read = file.read().orElseThrow();
        assertThat(read.path("state").asText()).isEqualTo("watching");
        assertThat(read.path("scan_progress").isNull()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("state.json");
        }
    }

    @Test
    void unreadableStateFileReadsAsNone() throws IOException {
        Files.writeString(dir.resolve("state.json"), "{ half a docu");
        assertThat(new StateFile(dir.resolve("state.json")).read()).isEmpty();
        assertThat(new StateFile(dir.resolve("absent.json")).read()).isEmpty();
    }
}
