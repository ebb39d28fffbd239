package io.assetindex.util;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.JarRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OldGenerationGuardTest {

    @Test
    void serialOldGenerationStaysNearWhatIsHeldWhileShortLivedDataIsPromoted() throws Exception {
        // 16 MiB held, 200 MiB promoted over a second or two: JDK 25's serial collector alone lets the old
        // generation grow to about 170 MiB here (it expands rather than collects).
        String[] result = runChild("guard");
        long peakMiB = Long.parseLong(result[0]);
        assertThat(peakMiB).as("old generation's peak, MiB (held 16, headroom 16, in flight 4)").isLessThanOrEqualTo(56);
    }

    @Test
    void headroomIsAQuarterOfWhatIsHeldAndAtLeast16MiB() {
        assertThat(OldGenerationGuard.headroomBytes(10L << 20)).isEqualTo(16L << 20);
        assertThat(OldGenerationGuard.headroomBytes(600L << 20)).isEqualTo(150L << 20);
    }

    private static String[] runChild(String mode) throws IOException, InterruptedException {
        Process child = new ProcessBuilder(JarRunner.java(), "-XX:+UseSerialGC", "-Xms16m", "-Xmx1g", "-Xmn6m",
                "-XX:SurvivorRatio=8", "-cp", System.getProperty("java.class.path"), PromotingWork.class.getName(), mode)
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child finished").isTrue();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(child.exitValue()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElseThrow().split(" ");
    }
}
