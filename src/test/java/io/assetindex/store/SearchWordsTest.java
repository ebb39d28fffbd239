package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SearchWordsTest {
    @Test
    void camelCaseAndLongDigitRunsAreAddedAsWords() {
        assertThat(SearchWords.words("myHolidayVideo.mp4")).isEqualTo("myHolidayVideo.mp4 my holiday video");
        assertThat(SearchWords.words("HTTPServerLog.txt")).isEqualTo("HTTPServerLog.txt http server log");
        assertThat(SearchWords.words("IMG1234.JPG")).isEqualTo("IMG1234.JPG img 1234");
        assertThat(SearchWords.words("DJI_0042.MP4")).isEqualTo("DJI_0042.MP4");
        assertThat(SearchWords.words("tone.m4a clip.mp4")).isEqualTo("tone.m4a clip.mp4");
        assertThat(SearchWords.words(null)).isNull();
    }

    @Test
    void anAssetsKeyComesFromItsIdAlone() {
        String id = "036aa99d58932571a57b07e57dfc5fa1b1eb17cd1db85b7888dca5e230db6f00";
        assertThat(SearchWords.key(id)).isEqualTo(0x8dca5e230db6f00L).isPositive();
        assertThat(SearchWords.key("f".repeat(64))).isPositive();
        assertThat(SearchWords.key("%064x".formatted(1))).isNotEqualTo(SearchWords.key("%064x".formatted(2)));
        assertThatThrownBy(() -> SearchWords.key("abc")).isInstanceOf(IllegalArgumentException.class);
    }
}
