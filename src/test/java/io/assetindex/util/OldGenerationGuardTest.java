package io.assetindex.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OldGenerationGuardTest {

    @Test
    void serialOldGenerationStaysNearWhatIsHeldWhileShortLivedDataIsPromoted() throws Exception {
        // 16 MiB held, 200 MiB promoted over a second or two: JDK 25's serial collector alone lets the old
        // generation grow to about 170 MiB here (it expands rather than collects).
        String[] result = ChildJvm.run(List.of("-Xms16m", "-Xmx1g", "-Xmn6m", "-XX:SurvivorRatio=8"), PromotingWork.class,
                "guard");
        long peakMiB = Long.parseLong(result[0]);
        assertThat(peakMiB).as("old generation's peak, MiB (held 16, headroom 16, in flight 4)").isLessThanOrEqualTo(56);
    }
}
