package io.assetindex.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

    @Test
    void collectsOnceAfterWorkOverAHundredThousandItemsAndNeverAfterLess() {
        AtomicInteger collections = new AtomicInteger();
        HeapTrim trim = new HeapTrim(collections::incrementAndGet, () -> 64L << 20);

        assertThat(trim.after("a small scan", HeapTrim.WORTH_IT - 1)).isFalse();
        assertThat(collections).hasValue(0);
        assertThat(trim.after("the start-up scan", 1_000_000)).isTrue();
        assertThat(collections).hasValue(1);
    }
}
