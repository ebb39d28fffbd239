package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeywordQueryTest {
    @Test
    void wordsAreSplitAsTheIndexSplitsThem() {
        KeywordQuery query = KeywordQuery.parse("DJI_0042 X-T5 Café");
        assertThat(query.terms()).containsExactly(List.of("dji", "0042"), List.of("x", "t5"), List.of("cafe"));
        assertThat(query.all()).contains("(\"dji 0042\" AND \"x t5\" AND \"cafe\")");
        assertThat(query.any()).contains("(\"dji 0042\" OR \"x t5\" OR \"cafe\")");
        assertThat(query.meaning()).isEqualTo("DJI_0042 X-T5 Café");
    }

    @Test
    void quotedPhrasesStayTogetherAndExcludedWordsAreLeftOutOfTheMeaning() {
        KeywordQuery query = KeywordQuery.parse("beach \"red kayak\" -night -\"old boat\"");
        assertThat(query.terms()).containsExactly(List.of("beach"), List.of("red", "kayak"));
        assertThat(query.excluded()).containsExactly(List.of("night"), List.of("old", "boat"));
        assertThat(query.all()).contains("(\"beach\" AND \"red kayak\") NOT (\"night\" OR \"old boat\")");
        assertThat(query.excludedMatch()).contains("\"night\" OR \"old boat\"");
        assertThat(query.meaning()).isEqualTo("beach red kayak");
        assertThat(query.tokens()).containsExactly("beach", "red", "kayak");
    }

    @Test
    void nothingTypedCanChangeTheExpressionsSyntax() {
        KeywordQuery query = KeywordQuery.parse("a\" OR NEAR(x y) * ^col: \"unclosed -");
        assertThat(query.all().orElseThrow()).matches("[\\p{L}\\p{N} \"()]*(AND|OR|NOT)?[\\p{L}\\p{N} \"()ANDORNT]*");
        assertThat(query.all().orElseThrow()).doesNotContain("*", "^", ":", "NEAR(");
        assertThat(KeywordQuery.parse("-only -excluded").all()).isEmpty();
        assertThat(KeywordQuery.parse("-only -excluded").meaning()).isEmpty();
        assertThat(KeywordQuery.parse("!!! ???").terms()).isEmpty();
    }
}
