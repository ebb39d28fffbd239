package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.store.StoreException;
import io.assetindex.testing.LogCapture;
import io.assetindex.testing.TestClock;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The watcher's account of a database that went away, driven by a test clock: no sleeping. */
class DatabaseOutageTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-26T10:00:00Z"));
    private final List<String> lastErrors = new ArrayList<>();
    private final DatabaseOutage outage = new DatabaseOutage(LoggerFactory.getLogger("outage-test"), clock,
            lastErrors::add);
    private final AtomicInteger probes = new AtomicInteger();
    private boolean serverUp;

    private static StoreException failure(String sqlState, String message) {
        return new StoreException("write to index database postgresql://u@db/assets failed: " + message,
                new SQLException(message, sqlState));
    }

    private void probe() {
        probes.incrementAndGet();
        if (!serverUp) {
            throw new StoreException("read failed", new SQLTransientConnectionException("Connection is not available"));
        }
    }

    @Test
    void aLostConnectionIsSaidOnceAndItsReturnOnceWithWhatWaited() {
        try (LogCapture log = new LogCapture("outage-test")) {
            assertThat(outage.lost(failure("57P01", "terminating connection due to administrator command"))).isTrue();
            assertThat(outage.lost(failure("08006", "An I/O error occurred while sending to the backend."))).isTrue();
            assertThat(outage.active()).isTrue();
            assertThat(log.messages()).containsExactly("[watcher] lost the index database (write to index database"
                    + " postgresql://u@db/assets failed: terminating connection due to administrator command); waiting"
                    + " for it to come back, holding the files that arrive meanwhile");
            assertThat(lastErrors).singleElement().asString().startsWith("lost the index database (");

            serverUp = true;
            clock.advance(Duration.ofSeconds(41));
            assertThat(outage.probeIfDue(this::probe, () -> "the 37 files that arrived meanwhile")).isTrue();

            assertThat(outage.active()).isFalse();
            assertThat(log.messages()).hasSize(2).last().isEqualTo("[watcher] the index database is back after 41 s;"
                    + " indexing the 37 files that arrived meanwhile");
        }
    }

    @Test
    void probesBackOffUpToTheCapWhileTheServerStaysDown() {
        outage.lost(failure("08001", "Connection to db:5432 refused."));
        List<Long> secondsBetweenProbes = new ArrayList<>();
        long waited = 0;
        while (secondsBetweenProbes.size() < 8) {
            clock.advance(Duration.ofSeconds(1));
            waited++;
            int before = probes.get();
            assertThat(outage.probeIfDue(this::probe, () -> "")).isFalse();
            if (probes.get() > before) {
                secondsBetweenProbes.add(waited);
                waited = 0;
            }
        }
        assertThat(secondsBetweenProbes).containsExactly(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L);
        assertThat(outage.active()).isTrue();
    }

    @Test
    void aFailureThatIsNotAboutReachingTheDatabaseIsNoOutage() {
        assertThat(outage.lost(failure("23505", "duplicate key value violates unique constraint"))).isFalse();
        assertThat(outage.lost(new StoreException("index database is newer than this asset-index"))).isFalse();
        assertThat(outage.active()).isFalse();
        assertThat(lastErrors).isEmpty();
    }
}
