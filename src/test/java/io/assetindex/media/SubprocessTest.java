package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubprocessTest {
    @Test
    void aToolThatLeavesAChildHoldingItsOutputReturnsWithoutWaitingForTheChild() throws Exception {
        long start = System.nanoTime();

        Subprocess.Result result = Subprocess.run(List.of("sh", "-c", "sleep 30 & echo done"), Duration.ofSeconds(20));

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText().strip()).isEqualTo("done");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Subprocess.PIPE_GRACE.plusSeconds(3));
    }

    @Test
    void aToolThatRunsPastItsLimitIsKilledWithEveryProcessItStarted() throws Exception {
        long start = System.nanoTime();

        Subprocess.Result result = Subprocess.run(List.of("sh", "-c", "sleep 60 & echo $!; wait"), Duration.ofSeconds(1));

        assertThat(result.timedOut()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Subprocess.PIPE_GRACE.plusSeconds(5));
        long child = Long.parseLong(result.stdoutText().strip());
        await().atMost(Duration.ofSeconds(5))
                .until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
    }
}
