package io.assetindex.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeapTrimTest {

    @Test
    void collectsOnceAfterWorkOverAHundredThousandItemsAndNeverAfterLess() {
        AtomicInteger collections = new AtomicInteger();
        HeapTrim trim = new HeapTrim(collections::incrementAndGet, () -> 64L << 20, () -> 40L << 20,
                new HeapHeadroom(percent -> { }, 10, 30));

        assertThat(trim.after("a small scan", HeapTrim.WORTH_IT - 1)).isFalse();
        assertThat(collections).hasValue(0);
        assertThat(trim.after("the start-up scan", 1_000_000)).isTrue();
        assertThat(collections).hasValue(1);
    }

    @Test
    void collectsWithTheLeastFreeShareThenKeepsTheOneForWhatIsHeld() {
        List<Integer> ratios = new ArrayList<>();
        List<Integer> atCollection = new ArrayList<>();
        HeapTrim trim = new HeapTrim(() -> atCollection.add(ratios.get(ratios.size() - 1)), () -> 700L << 20,
                () -> 100L << 20, new HeapHeadroom(ratios::add, 10, 30));

        trim.after("the vectors' load", 1_000_000);

        assertThat(atCollection).containsExactly(15);
        assertThat(ratios).containsExactly(15, 20); // 100 MiB held: 25 MiB may stay free
    }

    @Test
    void aTrimmedHeapKeepsAtMostItsHeadroomFreeNotThirtyPercent() throws Exception {
        // As the launcher runs a service. 128 MiB held: 30% free would leave an old generation of 183 MiB.
        String[] result = ChildJvm.run(List.of("-Xms32m", "-Xmx1g", "-Xmn8m", "-XX:MinHeapFreeRatio=10",
                "-XX:MaxHeapFreeRatio=30", "-XX:-ShrinkHeapInSteps"), TrimmedHeap.class);
        long committedMiB = Long.parseLong(result[0]);
        long usedMiB = Long.parseLong(result[1]);

        assertThat(usedMiB).as("held, MiB (the JVM's own objects besides)").isBetween(128L, 160L);
        assertThat(committedMiB).as("old generation after the trim, MiB: what is held / 0.85 (/ 0.7 before)")
                .isLessThanOrEqualTo(usedMiB * 100 / 85 + 2);
        assertThat(result[2]).as("MaxHeapFreeRatio for the collections to come (a quarter of what is held)")
                .isEqualTo("20");
    }
}
