package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.Sha256;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.util.Json;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Config snapshots through the commands on real files: every config hash is stored once with the
 * settings it stands for, and {@code show} says which settings made each result and whether they
 * are the configured ones.
 */
class ConfigSnapshotsTest {
    private static final String PICTURE = "raw_assets/harbour_at_dawn.jpg";
    private static final String SMALL_THUMBNAILS = "ASSET_INDEX_MEDIA__THUMBNAIL_SIZE";

    @TempDir
    Path workspace;

    private InProcess cli;
    private Path database;

    @BeforeEach
    void setUp() {
        TestMedia.jpeg(workspace.resolve(PICTURE), 64, 48, 1);
        TestMedia.wav(workspace.resolve("raw_assets/bell.wav"), 0.3, 2);
        cli = new InProcess(workspace);
        database = workspace.resolve(".asset_index/index.db");
    }

    private void scan() {
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).as(scan.err()).isZero();
    }

    private List<Map<String, Object>> snapshots() {
        return SqliteFile.rows(database, "SELECT * FROM config_snapshots ORDER BY analyzer, recorded_at");
    }

    /** The picture's analyses of one analyzer in {@code show --json}, oldest first. */
    private List<JsonNode> analyses(String analyzer) {
        List<JsonNode> found = new ArrayList<>();
        cli.json("show", PICTURE).get("analyses").forEach(analysis -> {
            if (analysis.get("analyzer").asText().equals(analyzer)) {
                found.add(analysis);
            }
        });
        return found;
    }


    @Test
    void aScanStoresOneSnapshotPerAnalyzerAndOneForThePipelineEachTheHashOfItsText() {
        scan();

        List<Map<String, Object>> snapshots = snapshots();
        assertThat(snapshots).extracting(row -> row.get("analyzer"))
                .containsExactly("embed", "integrity", "pipeline", "probe", "thumbnail");
        for (Map<String, Object> snapshot : snapshots) {
            assertThat(snapshot.get("config_hash")).isEqualTo(Sha256.ofText((String) snapshot.get("settings_text")));
            assertThat(snapshot.get("program_version")).isEqualTo("dev");
            assertThat((String) snapshot.get("recorded_at")).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
        }
        assertThat(snapshots.get(4).get("settings_text")).isEqualTo("thumbnail/1/size=256/quality=85");
        assertThat(Json.read((String) snapshots.get(4).get("settings_json")))
                .isEqualTo(Json.read("{\"version\": \"1\", \"size\": 256, \"quality\": 85}"));
        assertThat(SqliteFile.count(database, "SELECT count(*) FROM analysis_cache c WHERE NOT EXISTS"
                + " (SELECT 1 FROM config_snapshots s WHERE s.config_hash = c.config_hash)")).isZero();
        JsonNode pipeline = Json.read((String) snapshots.get(2).get("settings_json"));
        assertThat(pipeline.fieldNames()).toIterable().containsExactly("probe", "integrity", "thumbnail", "embed");
        assertThat(pipeline.get("thumbnail").asText()).isEqualTo(snapshots.get(4).get("config_hash"));
    }

    @Test
    void aChangedSettingAddsItsSnapshotAndShowMarksTheOldResultAsOlderWithItsOldSettings() {
        scan();
        cli.env.put(SMALL_THUMBNAILS, "32");

        scan();

        assertThat(snapshots()).extracting(row -> row.get("analyzer"))
                .containsExactly("embed", "integrity", "pipeline", "pipeline", "probe", "thumbnail", "thumbnail");
        List<JsonNode> thumbnails = analyses("thumbnail");
        assertThat(thumbnails).hasSize(2);
        assertThat(thumbnails.get(0).get("settings_state").asText()).isEqualTo("older");
        assertThat(thumbnails.get(0).at("/settings/size").asInt()).isEqualTo(256);
        assertThat(thumbnails.get(1).get("settings_state").asText()).isEqualTo("current");
        assertThat(thumbnails.get(1).at("/settings/size").asInt()).isEqualTo(32);
        assertThat(thumbnails.get(1).get("computed_at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*[+-]\\d{2}:\\d{2}");
        assertThat(analyses("probe")).singleElement()
                .satisfies(probe -> assertThat(probe.get("settings_state").asText()).isEqualTo("current"));

        String shown = cli.run("show", PICTURE).out();
        String oldHash = thumbnails.get(0).get("config_hash").asText().substring("sha256:".length(), 19);
        assertThat(shown).containsPattern("(?m)^  thumbnail +" + oldHash + " +\\d{4}-\\d{2}-\\d{2} [\\d:]{8} +older settings"
                + " +version=1 size=256 quality=85$");
        assertThat(shown).containsPattern("(?m)^  thumbnail +[0-9a-f]{12} +[-\\d: ]{19} +current +version=1 size=32"
                + " quality=85$");
        assertThat(shown).containsPattern("(?m)^  integrity +[0-9a-f]{12} +[-\\d: ]{19} +current +version=1 deep=false$");
    }

    @Test
    void runsWithSettingsTheIndexKnowsAddNoSnapshotAndKeepTheFirstRecord() {
        scan();
        List<Map<String, Object>> first = snapshots();
        cli.env.put(SMALL_THUMBNAILS, "32");
        scan();
        cli.env.remove(SMALL_THUMBNAILS);

        scan();
        assertThat(cli.run("verify").exitCode()).isZero();

        assertThat(snapshots()).hasSize(first.size() + 2).containsAll(first);
        assertThat(analyses("thumbnail")).extracting(analysis -> analysis.get("settings_state").asText())
                .containsExactly("current", "older");
    }

    @Test
    void aResultWhoseSettingsWereNeverRecordedSaysSoUnlessItsHashIsTheConfiguredOne() {
        cli.env.put(SMALL_THUMBNAILS, "32");
        scan();
        // As in an index that has results from before snapshots were kept.
        SqliteFile.execute(database, "DELETE FROM config_snapshots");
        cli.env.remove(SMALL_THUMBNAILS);
        assertThat(analyses("probe").get(0).at("/settings/version").asText()).isEqualTo("2");
        assertThat(analyses("thumbnail")).singleElement().satisfies(thumbnail -> {
            assertThat(thumbnail.get("settings_state").asText()).isEqualTo("not_recorded");
            assertThat(thumbnail.get("settings").isNull()).isTrue();
        });

        scan();

        List<JsonNode> thumbnails = analyses("thumbnail");
        assertThat(thumbnails).extracting(analysis -> analysis.get("settings_state").asText())
                .containsExactly("not_recorded", "current");
        assertThat(cli.run("show", PICTURE).out())
                .containsPattern("(?m)^  thumbnail +[0-9a-f]{12} +[-\\d: ]{19} +settings not recorded +-$");
    }
}
