package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The queries whose cost must not grow with the size of the asset rows: at a million assets the
 * rows (raw_json) are gigabytes, which a command reads from disk when they are not cached. Checked
 * on SQLite's plans, as they are without statistics (an index never analysed).
 */
class LargeIndexPlansTest {
    @TempDir
    Path dir;

    private IndexDatabase database;

    @BeforeEach
    void open() {
        database = IndexDatabase.open(dir.resolve(".asset_index/index.db"), 2, Clock.systemUTC());
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void loadingTheVectorsReadsTheShapeIndexNotTheAssetRows() {
        String plan = plan(SearchRepository.VECTORS + " ORDER BY v.id");
        assertThat(plan).contains("SCAN v").contains("USING COVERING INDEX assets_shape")
                .contains("asset_paths_live").doesNotContain("TEMP B-TREE");
    }

    @Test
    void theTalliesFindAnAssetsOtherLivePathsThroughItsLivePaths() {
        String lookup = "SELECT 1 WHERE " + IndexTallies.livePath("?", " AND q.source_root = ? AND q.id <> ?");
        assertThat(plan(lookup)).contains("USING INDEX asset_paths_live (asset_id=?)");
    }

    @Test
    void aPageOfDerivedFilesStartsWhereTheLastEndedWithoutSorting() {
        String plan = plan(AnalysisCacheRepository.DERIVED_FILES_PAGE);
        assertThat(plan).contains("SEARCH c USING PRIMARY KEY ((asset_id,analyzer,config_hash)>(?,?,?))")
                .doesNotContain("TEMP B-TREE");
    }

    @Test
    void aPageOfLivePathsStartsWhereTheLastEnded() {
        assertThat(plan(PathRepository.LIVE_PAGE)).contains("(source_root=? AND rel_path>?)").doesNotContain("TEMP B-TREE");
    }

    @Test
    void bitRotIsLookedUpFromItsFindingsNotFromEveryLivePath() {
        String plan = plan("SELECT count(*) " + VerificationRepository.CURRENT_BIT_ROT);
        assertThat(plan).contains("SEARCH b USING PRIMARY KEY (host=?)")
                .contains("SEARCH p USING INDEX sqlite_autoindex_asset_paths_1");
    }

    private String plan(String sql) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString("detail")).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }
}
