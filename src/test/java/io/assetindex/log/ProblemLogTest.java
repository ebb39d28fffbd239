package io.assetindex.log;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.testing.LogCapture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class ProblemLogTest {
    private Instant now = Instant.parse("2026-11-21T10:00:00Z");
    private final Clock clock = new Clock() {
        public java.time.ZoneId getZone() { return ZoneOffset.UTC; }
        public Clock withZone(java.time.ZoneId zone) { return this; }
        public Instant instant() { return now; }
    };

    @Test
    void persistentProblemIsLoggedWhenItStartsChangesAndEndsNotOnEveryRepeat() {
        try (LogCapture log = new LogCapture("problem-test")) {
            ProblemLog problems = new ProblemLog(LoggerFactory.getLogger("problem-test"), clock, Duration.ofMinutes(15));
            for (int i = 0; i < 5000; i++) {
                problems.problem("disk", "disk is full");
                now = now.plusMillis(10);
            }
            assertThat(log.messages()).containsExactly("disk is full");

            problems.problem("disk", "disk is read-only");
            problems.resolved("disk", "disk works again");
            problems.resolved("disk", "disk works again");

            assertThat(log.messages()).containsExactly("disk is full", "disk is read-only", "disk works again");
        }
    }

    @Test
    void longRunningProblemIsRecalledOncePerReminderInterval() {
        try (LogCapture log = new LogCapture("problem-test-2")) {
            ProblemLog problems = new ProblemLog(LoggerFactory.getLogger("problem-test-2"), clock, Duration.ofMinutes(15));
            for (int minute = 0; minute <= 45; minute++) {
                problems.problem("root", "root missing");
                now = now.plus(Duration.ofMinutes(1));
            }
            assertThat(log.messages()).hasSize(4);
            assertThat(log.messages().get(1)).startsWith("root missing (again, 15 times since");
        }
    }

    @Test
    void problemsWithDifferentKeysAreIndependent() {
        try (LogCapture log = new LogCapture("problem-test-3")) {
            ProblemLog problems = new ProblemLog(LoggerFactory.getLogger("problem-test-3"), clock, Duration.ofMinutes(15));
            problems.problem("a", "a broke");
            problems.problem("b", "b broke");
            problems.problem("a", "a broke");
            assertThat(log.messages()).containsExactly("a broke", "b broke");
            assertThat(problems.isActive("a")).isTrue();
        }
    }
}
