package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresSqlTest {
    @Test
    void dropsSqlitePlannerHintsAndNothingElse() {
        assertThat(PostgresSql.adapt("SELECT a.id FROM assets a INDEXED BY assets_shape WHERE +c.analyzer = ?"
                + " AND x IN (SELECT 1 FROM bit_rot b CROSS JOIN asset_paths p ON p.id = b.id)"))
                .isEqualTo("SELECT a.id FROM assets a WHERE c.analyzer = ?"
                        + " AND x IN (SELECT 1 FROM bit_rot b JOIN asset_paths p ON p.id = b.id)");
        assertThat(PostgresSql.adapt("SELECT size_bytes + 1 FROM assets")).isEqualTo("SELECT size_bytes + 1 FROM assets");
    }

    @Test
    void numberedParametersBecomePlainOnesWithEveryPlaceRemembered() {
        String sql = "SELECT 1 WHERE CAST(?1 AS TEXT) IS NULL OR kind = ?1 LIMIT ?2";
        assertThat(PostgresSql.numbered(sql)).isTrue();
        assertThat(PostgresSql.plain(sql)).isEqualTo("SELECT 1 WHERE CAST(? AS TEXT) IS NULL OR kind = ? LIMIT ?");
        assertThat(PostgresSql.places(sql)).isEqualTo(Map.of(1, List.of(1, 2), 2, List.of(3)));
    }

    @Test
    void keywordExpressionsReadAsTsquery() {
        KeywordQuery query = KeywordQuery.parse("\"rain came late\" harbour -fog -\"old pier\"");
        assertThat(PostgresKeywordIndex.tsquery(query.all().orElseThrow()))
                .isEqualTo("((rain <-> came <-> late) & (harbour)) & !((fog) | (old <-> pier))");
        assertThat(PostgresKeywordIndex.tsquery(query.excludedMatch().orElseThrow()))
                .isEqualTo("(fog) | (old <-> pier)");
    }

    @Test
    void snippetsMarkTheWordsLookedForAsFts5Does() {
        assertThat(PostgresKeywordIndex.snippet("The rain came late this year", java.util.Set.of("rain", "came", "late")))
                .isEqualTo("The [rain came late] this year");
        assertThat(PostgresKeywordIndex.snippet("archive_0001.jpg", java.util.Set.of("archive")))
                .isEqualTo("[archive]_0001.jpg");
        assertThat(PostgresKeywordIndex.snippet("one two three four five six seven eight nine ten eleven twelve"
                + " thirteen Café", java.util.Set.of("cafe"))).isEqualTo("…eleven twelve thirteen [Café]");
    }

    @Test
    void theKeywordIndexIsRefilledInOneStatementFromEveryVersionOfItsFunction() {
        List<String> versions = PostgresMigrations.ALL.stream().flatMap(migration -> migration.statements().stream())
                .filter(sql -> sql.matches("(?s)CREATE (OR REPLACE )?FUNCTION assets_fts_refresh.*")).toList();
        assertThat(versions).hasSizeGreaterThanOrEqualTo(2); // migration 14's, and 16's upsert
        for (String function : versions) {
            assertThat(PostgresKeywordIndex.refillStatement(function)).hasValueSatisfying(sql -> assertThat(sql)
                    .startsWith("INSERT INTO assets_fts").doesNotContain("asset)").doesNotContain(";")
                    .endsWith(function.contains("ON CONFLICT") ? "document = excluded.document" : ") s"));
        }
        assertThat(PostgresKeywordIndex.refillStatement("BEGIN PERFORM something(asset); END")).isEmpty();
    }
}
