package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void doublesUpToTheCapAndStartsOverAfterReset() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(10));
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void currentTellsTheWaitWithoutGrowingIt() {
        Backoff backoff = new Backoff(Duration.ofMinutes(1), Duration.ofHours(1));
        assertThat(backoff.current()).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.current()).isEqualTo(Duration.ofMinutes(1));
        backoff.next();
        backoff.next();
        assertThat(backoff.current()).isEqualTo(Duration.ofMinutes(2));
        assertThat(backoff.next()).isEqualTo(Duration.ofMinutes(4));
    }
}
