package io.assetindex.util;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeapHeadroomTest {

    @Test
    void headroomIsAQuarterOfWhatIsHeldBetween16And64MiB() {
        assertThat(HeapHeadroom.bytes(10L << 20)).isEqualTo(16L << 20);
        assertThat(HeapHeadroom.bytes(100L << 20)).isEqualTo(25L << 20);
        assertThat(HeapHeadroom.bytes(504L << 20)).isEqualTo(64L << 20);
    }

    @Test
    void freeShareFollowsTheHeadroomWithinTheStartingShareAndFivePointsAboveTheLeast() {
        HeapHeadroom launcher = new HeapHeadroom(percent -> { }, 10, 30);
        assertThat(launcher.percentFor(10L << 20)).as("small heap: as started").isEqualTo(30);
        assertThat(launcher.percentFor(100L << 20)).isEqualTo(20);
        assertThat(launcher.percentFor(504L << 20)).as("a million assets: 11% would grow at every collection")
                .isEqualTo(15);

        HeapHeadroom defaults = new HeapHeadroom(percent -> { }, 40, 70);
        assertThat(defaults.percentFor(504L << 20)).isEqualTo(45);
        HeapHeadroom narrow = new HeapHeadroom(percent -> { }, 30, 32);
        assertThat(narrow.percentFor(504L << 20)).as("never above the starting share").isEqualTo(32);
    }
}
