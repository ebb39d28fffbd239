package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A word that more than a thousand assets have: a hybrid search ranks by it only the assets
 * found by meaning (ranking every one costs about 1 µs each and singles out none), and they
 * still count on both sides of the fusion; a rarer word beside it still finds its file first,
 * and a keyword search still ranks them all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommonWordsSearchTest {
    private static final int FILLERS = 1_200;
    private InProcess cli;

    @BeforeAll
    void indexAWorkspace(@TempDir Path workspace) throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\n");
        TestMedia.jpeg(workspace.resolve("raw_assets/harbour_boat.jpg"), 320, 240, 1);
        TestMedia.jpeg(workspace.resolve("raw_assets/old/archive_scan.jpg"), 320, 240, 2);
        cli = new InProcess(workspace);
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        // Many more scans from the archive, each with a live path and the vector of the one scanned.
        Path database = workspace.resolve(".asset_index/index.db");
        String numbers = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < " + FILLERS + ") ";
        // An id and a name per number, in the SQL of the backend the index is in.
        String id = TestPostgres.selected() ? "lpad(to_hex(i), 64, '0')" : "printf('%064x', i)";
        String name = "'archive_' || " + (TestPostgres.selected() ? "lpad(i::text, 4, '0')" : "printf('%04d', i)")
                + " || '.jpg'";
        SqliteFile.execute(database, numbers + "INSERT INTO assets (id, file_name, file_path, source_root, media_type,"
                + " size_bytes, mtime, raw_json, summary, indexed_at) SELECT " + id + ", " + name + ","
                + " '/x/raw_assets/old/' || " + name + ", 'raw_assets',"
                + " 'image', 1000, 1700000000, '{}', 'A page from the archive', '2026-01-01T00:00:00.000Z' FROM n");
        SqliteFile.execute(database, numbers + "INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path,"
                + " size_bytes, mtime_ns, first_seen_at, last_seen_at) SELECT " + id + ", 'raw_assets',"
                + " 'old/' || " + name + ", '/x/raw_assets/old/' || " + name + ", 1000, 0,"
                + " '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n");
        SqliteFile.execute(database, numbers + "INSERT INTO assets_vec (id, embedding) SELECT " + id + ","
                + " (SELECT v.embedding FROM assets_vec v JOIN assets a ON a.id = v.id"
                + " WHERE a.file_name = 'archive_scan.jpg') FROM n");
    }

    @Test
    void aHybridSearchForACommonWordRanksTheAssetsFoundByMeaningByItToo() {
        JsonNode results = cli.json("search", "archive", "--limit", "10").get("results");
        assertThat(results).hasSize(10);
        for (JsonNode result : results) {
            // Found by meaning and by the word: 1 / (60 + rank) from each side.
            assertThat(result.path("score").asDouble()).as(result.toString()).isGreaterThan(1.0 / 61 + 1.0 / 1000);
            assertThat(result.path("weak").asBoolean()).isFalse();
            assertThat(result.at("/matched/fields")).extracting(JsonNode::asText).contains("name");
            assertThat(result.at("/matched/snippet").asText()).containsIgnoringCase("[archive]");
        }
    }

    @Test
    void aRarerWordBesideACommonOneFindsItsFileFirst() {
        JsonNode first = cli.json("search", "archive 0042").get("results").get(0);
        assertThat(first.at("/paths/0").asText()).isEqualTo("raw_assets/old/archive_0042.jpg");
        assertThat(cli.json("search", "harbour").get("results").get(0).at("/paths/0").asText())
                .isEqualTo("raw_assets/harbour_boat.jpg");
    }

    @Test
    void aKeywordSearchStillRanksEveryAssetThatHasTheWord() {
        JsonNode results = cli.json("search", "archive", "--mode", "keyword", "--limit", "5", "--offset", "990")
                .get("results");
        assertThat(results).hasSize(5);
        assertThat(results.get(0).path("rank").asInt()).isEqualTo(991);
    }
}
