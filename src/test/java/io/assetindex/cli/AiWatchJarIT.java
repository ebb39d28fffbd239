package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.FakeAiApi;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.WatcherProcess;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the watcher (the packaged jar) indexes a dropped file at once and describes it in
 * the background through a local OpenAI-compatible server; status reports the calls.
 */
class AiWatchJarIT {
    @TempDir
    Path workspace;

    @Test
    void aDroppedFileIsIndexedThenDescribedInTheBackground() throws IOException {
        try (FakeAiApi api = new FakeAiApi()) {
            Files.writeString(workspace.resolve("asset-index.yaml"), """
                    debounce_seconds: 0.3
                    ai:
                      base_url: %s
                      describe:
                        model: vision-test
                    """.formatted(api.baseUrl()));
            Files.createDirectories(workspace.resolve("raw_assets"));
            Path database = workspace.resolve(".asset_index/index.db");
            try (WatcherProcess watcher = WatcherProcess.startWatching(workspace)) {
                TestMedia.jpeg(workspace.resolve("raw_assets/red_kayak_on_lake.jpg"), 640, 480, 1);
                await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(database) && SqliteFile.count(database,
                        "SELECT count(*) FROM assets WHERE summary IS NOT NULL") == 1);
                assertThat(SqliteFile.value(database, "SELECT summary FROM assets")).isEqualTo("It shows red kayak on lake.");
                assertThat((String) SqliteFile.value(database, "SELECT embed_source FROM assets"))
                        .contains("It shows red kayak on lake");
                assertThat(api.chats()).hasSize(1);

                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    JarRunner.Result status = JarRunner.run(workspace, "status", "--json");
                    JsonNode ai = Json.read(status.out()).at("/watcher/state/ai/describe");
                    assertThat(ai.path("calls").asLong()).isEqualTo(1);
                    assertThat(ai.path("prompt_tokens").asLong()).isEqualTo(100);
                });
                assertThat(JarRunner.run(workspace, "status").out())
                        .contains("AI describe since start: 1 calls, 0 failed, 120 tokens");
                assertThat(watcher.isAlive()).isTrue();
            }
        }
    }
}
