package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.FakeEmbeddingsApi;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the index's vectors follow changes: deleted files, a new embedding model, a remote API
 * that answers vectors of another dimension or is down. The remote API is a local server
 * speaking the OpenAI embeddings API.
 */
class EmbeddingChangesTest {
    private static final String KEY = "TEST_EMBEDDINGS_KEY";

    @TempDir
    Path workspace;

    private final FakeEmbeddingsApi api = new FakeEmbeddingsApi(8);
    private InProcess cli;
    private Path database;

    @BeforeEach
    void setUp() {
        cli = new InProcess(workspace);
        cli.env.put(KEY, "sk-test");
        database = workspace.resolve(".asset_index/index.db");
    }

    @AfterEach
    void tearDown() {
        api.close();
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    private void useRemoteModel(int batchSize, int maxRetries) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), """
                embedding:
                  provider: openai
                  model: fake-embed
                  base_url: %s
                  api_key_env: %s
                  batch_size: %d
                  max_retries: %d
                """.formatted(api.baseUrl(), KEY, batchSize, maxRetries));
    }

    private InProcess.Run scan() {
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        return scan;
    }

    private static List<String> paths(JsonNode document) {
        List<String> paths = new ArrayList<>();
        document.get("results").forEach(result -> result.get("paths").forEach(path -> paths.add(path.asText())));
        return paths;
    }

    private String outLog() throws IOException {
        return Files.readString(workspace.resolve(".asset_index/logs/scan.out.log"));
    }

    private long count(String sql) {
        return SqliteFile.count(database, sql);
    }

    @Test
    void deletedPathsNeverAppear() throws IOException {
        TestMedia.jpeg(raw("beach.jpg"), 64, 48, 1);
        Files.createDirectories(raw("copies"));
        Files.copy(raw("beach.jpg"), raw("copies/beach.jpg"));
        TestMedia.jpeg(raw("invoice.jpg"), 64, 48, 2);
        TestMedia.jpeg(raw("receipt.jpg"), 64, 48, 3);
        scan();
        assertThat(paths(cli.search("beach"))).containsExactlyInAnyOrder("raw_assets/beach.jpg", "raw_assets/copies/beach.jpg",
                "raw_assets/invoice.jpg", "raw_assets/receipt.jpg");

        Files.delete(raw("invoice.jpg"));
        Files.delete(raw("copies/beach.jpg"));
        scan();
        JsonNode after = cli.search("invoice");
        assertThat(after.get("searched").asInt()).isEqualTo(2);
        assertThat(paths(after)).containsExactlyInAnyOrder("raw_assets/beach.jpg", "raw_assets/receipt.jpg");
        assertThat(paths(cli.search("beach", "--path", "copies"))).isEmpty();
        // The asset stays in the index (nothing indexed is lost); only its paths are marked deleted.
        assertThat(count("SELECT count(*) FROM assets_vec")).isEqualTo(3);
    }

    @Test
    void aNewModelReembedsEverythingWhileSearchKeepsUsingTheOldVectors() throws IOException {
        TestMedia.jpeg(raw("beach_sunset_waves.jpg"), 64, 48, 1);
        TestMedia.jpeg(raw("invoice_scan.jpg"), 64, 48, 2);
        TestMedia.jpeg(raw("mountain_lake.jpg"), 64, 48, 3);
        scan();
        assertThat(cli.search("beach").get("model").asText()).isEqualTo("all-minilm-l6-v2-q");

        useRemoteModel(1, 0);
        api.refuseTextsWith("invoice");
        InProcess.Run partial = scan();
        assertThat(partial.out()).contains("2 assets re-analyzed, 0 skipped (file changed or gone), 1 failed");
        assertThat(count("SELECT count(*) FROM assets_vec")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM assets_vec_next")).isEqualTo(2);
        assertThat(SqliteFile.rows(database, "SELECT model, dimension, state FROM embedding_models ORDER BY state"))
                .extracting(row -> row.get("model") + "/" + row.get("dimension") + "/" + row.get("state"))
                .containsExactly("all-minilm-l6-v2-q/384/active", "fake-embed/8/building");

        assertThat(cli.run("status").out()).contains(
                "vectors       3 of 3 assets, all-minilm-l6-v2-q (384 dims), searched\n",
                "re-embedding with fake-embed (8 dims): 2 of 3 assets; searched once complete\n");
        assertThat(cli.run("status", "--json").json().at("/counts/vectors/1/vectors").asInt()).isEqualTo(2);

        int requestsBefore = api.requests().size();
        JsonNode meanwhile = cli.search("beach sunset");
        assertThat(meanwhile.get("model").asText()).isEqualTo("all-minilm-l6-v2-q");
        assertThat(meanwhile.get("searched").asInt()).isEqualTo(3);
        assertThat(meanwhile.at("/results/0/paths/0").asText()).isEqualTo("raw_assets/beach_sunset_waves.jpg");
        assertThat(api.requests()).hasSize(requestsBefore);

        api.refuseTextsWith(null);
        InProcess.Run complete = scan();
        assertThat(complete.out()).contains("1 assets re-analyzed");
        assertThat(count("SELECT count(*) FROM assets_vec")).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM assets_vec_next")).isZero();
        assertThat(count("SELECT count(*) FROM assets_vec WHERE length(embedding) = 8 * 4")).isEqualTo(3);
        assertThat(SqliteFile.rows(database, "SELECT model, state FROM embedding_models"))
                .extracting(row -> row.get("model") + "/" + row.get("state")).containsExactly("fake-embed/active");
        assertThat(count("SELECT count(*) FROM assets WHERE embed_model = 'fake-embed'")).isEqualTo(3);

        JsonNode now = cli.search("beach sunset");
        assertThat(now.get("model").asText()).isEqualTo("fake-embed");
        assertThat(now.at("/results/0/paths/0").asText()).isEqualTo("raw_assets/beach_sunset_waves.jpg");
        assertThat(api.requests().get(api.requests().size() - 1).inputs()).containsExactly("beach sunset");
    }

    @Test
    void vectorsOfTheWrongDimensionAreRefusedAndTheAssetIsStillIndexed() throws IOException {
        useRemoteModel(64, 0);
        TestMedia.jpeg(raw("beach.jpg"), 64, 48, 1);
        scan();
        assertThat(count("SELECT count(*) FROM assets_vec")).isEqualTo(1);

        api.dimension(12);
        TestMedia.jpeg(raw("coast.jpg"), 64, 48, 2);
        scan();
        assertThat(outLog()).contains("raw_assets/coast.jpg: a vector of 12 dimensions is refused: model fake-embed"
                + " makes 8-dimension vectors in this index; check embedding.dimensions");
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM assets_vec")).isEqualTo(1);
        assertThat(SqliteFile.value(database, "SELECT embed_model FROM assets WHERE file_name = 'coast.jpg'")).isNull();
        InProcess.Run similar = cli.run("similar", "raw_assets/coast.jpg");
        assertThat(similar.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(similar.err()).contains("has no vector of the current model yet");

        api.dimension(8);
        scan();
        assertThat(count("SELECT count(*) FROM assets_vec")).isEqualTo(2);
        assertThat(paths(cli.search("coast"))).containsExactly("raw_assets/coast.jpg", "raw_assets/beach.jpg");
    }

    @Test
    void whileTheApiIsDownFilesAreIndexedWithoutVectorsAndEmbeddedLater() throws IOException {
        useRemoteModel(1, 0);
        api.alwaysRespond(FakeEmbeddingsApi.status(503));
        for (int i = 0; i < 5; i++) {
            TestMedia.jpeg(raw("photo" + i + ".jpg"), 64, 48, i);
        }
        InProcess.Run down = scan();
        assertThat(down.out()).contains("5 indexed").contains("paused");
        assertThat(outLog()).contains("WARN  [embed] re-analysis paused with 3 of 5 assets done: every file failed 3 times"
                + " in a row (last: embedding request to " + api.baseUrl() + "/embeddings failed: HTTP 503, 1 attempt;"
                + " not asking again before");
        // The first request (one per worker at most) found the API down; the others failed at once.
        assertThat(api.requests()).hasSizeLessThanOrEqualTo(2);
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(5);
        assertThat(count("SELECT count(*) FROM assets_vec")).isZero();
        InProcess.Run noVectors = cli.run("search", "photo", "--mode", "semantic");
        assertThat(noVectors.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(noVectors.err()).contains("the index has no vectors yet");
        // Words are found without vectors: a hybrid search answers with its keyword matches alone.
        InProcess.Run byWords = cli.run("search", "photo", "--json");
        assertThat(byWords.exitCode()).as(byWords.err()).isZero();
        assertThat(byWords.json().get("model").isNull()).isTrue();

        api.alwaysRespond(null);
        InProcess.Run back = scan();
        assertThat(back.out()).contains("5 assets re-analyzed");
        assertThat(count("SELECT count(*) FROM assets_vec")).isEqualTo(5);
        assertThat(cli.search("photo", "--limit", "10").get("results")).hasSize(5);
    }

    @Test
    void theKeyGoesOnlyToTheConfiguredUrlEvenWhileTheIndexsVectorsNameAnother() throws IOException {
        TestMedia.jpeg(raw("beach.jpg"), 64, 48, 1);
        try (FakeEmbeddingsApi earlier = new FakeEmbeddingsApi(8)) {
            Files.writeString(workspace.resolve("asset-index.yaml"), """
                    embedding:
                      provider: openai
                      model: fake-embed
                      base_url: %s
                    """.formatted(earlier.baseUrl()));
            scan();
            useRemoteModel(64, 0);

            // No scan since: the index's vectors are still the earlier server's, and search asks it.
            assertThat(paths(cli.search("beach"))).containsExactly("raw_assets/beach.jpg");
            assertThat(earlier.requests().get(earlier.requests().size() - 1).inputs()).containsExactly("beach");
            assertThat(earlier.requests()).allSatisfy(request -> assertThat(request.authorization()).isNull());
            earlier.thenRespond(FakeEmbeddingsApi.status(401));
            InProcess.Run refused = cli.run("search", "beach");
            assertThat(refused.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(refused.err()).contains("refused the API key (none was sent", "(the index's vectors are "
                    + earlier.baseUrl() + "'s, and the key in $" + KEY + " goes only to embedding.base_url;");

            scan();
            cli.search("beach");
            assertThat(api.requests()).isNotEmpty()
                    .allSatisfy(request -> assertThat(request.authorization()).isEqualTo("Bearer sk-test"));
        }
    }
}
