package io.assetindex.state;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import io.assetindex.util.Json;
import java.util.List;
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

    /** The snapshot as state.json holds it. */
    private static JsonNode document(WatcherSnapshot snapshot) {
        return Json.MAPPER.valueToTree(snapshot);
    }

    @Test
    void theContactReadAloneNamesTheWriterAndItsApiAndOnlyARunningOneGivesTheApi() throws IOException {
        StateFile file = new StateFile(dir.resolve("state.json"));
        WatcherState state = state();
        state.api("http://127.0.0.1:8765");
        file.write(state.snapshot());

        StateFile.Contact contact = file.contact().orElseThrow();
        assertThat(contact.process()).isEqualTo(WatcherInfo.read(file).orElseThrow().identity());
        assertThat(contact.process().pid()).isEqualTo(4242L);
        assertThat(contact.process().startedAt()).isEqualTo(self.startedAt());
        assertThat(contact.apiUrl()).isEqualTo("http://127.0.0.1:8765");
        assertThat(contact.liveApiUrl()).isEmpty(); // pid 4242 started then is not running

        ProcessIdentity running = ProcessIdentity.current();
        WatcherState live = new WatcherState(running, "edit-bay", "0.1.0", List.of("raw_assets"), 1.5, clock);
        live.api("http://127.0.0.1:8765");
        file.write(live.snapshot());
        assertThat(file.contact().orElseThrow().liveApiUrl()).contains("http://127.0.0.1:8765");
        live.apiDown("port in use");
        file.write(live.snapshot());
        assertThat(file.contact().orElseThrow().liveApiUrl()).isEmpty();

        Files.writeString(file.path(), "{\"pid\": \"not a number\", \"api\": 7}");
        assertThat(file.contact().orElseThrow()).isEqualTo(new StateFile.Contact(null, null));
        Files.writeString(file.path(), "[1, 2");
        assertThat(file.contact()).isEmpty();
    }

    @Test
    void aStateFileFarLargerThanAWatcherWritesIsNotReadAtAll() throws IOException {
        StateFile file = new StateFile(dir.resolve("state.json"));
        WatcherState state = state();
        state.api("http://127.0.0.1:8765");
        String written = Json.pretty(state.snapshot());
        // The same document padded past the cap: valid JSON, which a reader without the cap would take.
        Files.writeString(file.path(), written + " ".repeat(StateFile.MAX_BYTES));

        assertThat(file.read()).isEmpty();
        assertThat(file.contact()).isEmpty();

        Files.writeString(file.path(), written);
        assertThat(file.read()).isPresent();
        assertThat(file.contact()).isPresent();
    }

    @Test
    void newStateHasEveryDesignFieldWithNullsWhereUnknown() {
        JsonNode snapshot = document(state().snapshot());
        assertThat(snapshot.fieldNames()).toIterable().containsAll(DESIGN_FIELDS).contains("api", "roots", "ai");
        assertThat(snapshot.path("state").asText()).isEqualTo("starting");
        assertThat(snapshot.path("pid").asLong()).isEqualTo(4242L);
        assertThat(snapshot.path("pid_start_time").asText()).isEqualTo("2026-11-21T09:59:58.000+01:00");
        assertThat(snapshot.path("watcher_started_at").asText()).isEqualTo("2026-11-21T10:00:00.000+01:00");
        for (String field : List.of("scan_progress", "last_error", "last_processed_path", "api")) {
            assertThat(snapshot.get(field).isNull()).as(field).isTrue();
        }
        assertThat(snapshot.path("debounce_seconds").asDouble()).isEqualTo(1.5);
    }

    @Test
    void countsOutcomesAndKeepsTheLatestFailureWithItsPath() {
        WatcherState state = state();
        state.processed("raw_assets/a.jpg");
        state.skipped("raw_assets/b.jpg");
        state.failed("raw_assets/c.jpg", "empty file");
        state.scanProgress(3, 10);
        state.queueDepth(() -> 7);

        WatcherSnapshot snapshot = state.snapshot();

        assertThat(snapshot.processedCount()).isEqualTo(1);
        assertThat(snapshot.skippedCount()).isEqualTo(1);
        assertThat(snapshot.failedCount()).isEqualTo(1);
        assertThat(snapshot.queueDepth()).isEqualTo(7);
        assertThat(snapshot.lastProcessedPath()).isEqualTo("raw_assets/b.jpg");
        assertThat(snapshot.lastError()).isEqualTo("raw_assets/c.jpg: empty file");
        assertThat(document(snapshot).path("scan_progress").toString()).isEqualTo("{\"done\":3,\"total\":10}");
    }

    @Test
    void reportsReanalysisProgressWhileItRuns() {
        WatcherState state = state();
        assertThat(state.snapshot().reanalysis()).isNull();
        state.reanalysis("thumbnail", 3, 10);
        assertThat(state.snapshot().reanalysis()).isEqualTo(new WatcherSnapshot.Reanalysis("thumbnail", 3, 10));
        state.reanalysisDone();
        assertThat(state.snapshot().reanalysis()).isNull();
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

        WatcherSnapshot read = file.read().orElseThrow();
        assertThat(read.state()).isEqualTo("watching");
        assertThat(read.scanProgress()).isNull();
        assertThat(read.pid()).isEqualTo(4242L);
        assertThat(read.watchPaths()).containsExactly("raw_assets");
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
