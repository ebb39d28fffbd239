package io.assetindex.watch;

import io.assetindex.state.WatcherSnapshot;
import io.assetindex.state.WatcherState;
import io.assetindex.store.StoreException;
import io.assetindex.store.WatcherRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a running watcher's row in the watchers table every {@link WatcherRegistry#HEARTBEAT}, and
 * keeps its ownership of its watch paths: when the session holding the locks was lost (PostgreSQL
 * restarted), it takes them again once the server is back, trying with a capped backoff; if another
 * watcher took one meanwhile, {@code lost} is told (once) and this watcher must stop. A beat that
 * fails because the server cannot be reached goes to the watcher's {@code unreachable} (its one line
 * of an outage; the lost lock session is then said at info level); another failed beat is logged
 * once and tried again at the next; nothing here stops the schedule.
 */
public final class Heartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("watcher");
    private static final Duration RETAKE_MAX = Duration.ofSeconds(30);

    private final WatcherRegistry.Ownership ownership;
    private final WatcherState state;
    private final Clock clock;
    private final Consumer<String> lost;
    private final Predicate<StoreException> unreachable;
    private final Backoff retakeBackoff = new Backoff(WatcherRegistry.HEARTBEAT, RETAKE_MAX);
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "heartbeat");
        thread.setDaemon(true);
        return thread;
    });
    private Instant nextRetake;
    private boolean sessionLost;
    private boolean beatFailing;
    private boolean gone;

    /**
     * @param lost told, once, why this watcher no longer owns its watch paths
     * @param unreachable told of a failed beat; true when it means the database cannot be reached
     *     (which the watcher then reports as its outage)
     */
    public Heartbeat(WatcherRegistry.Ownership ownership, WatcherState state, Clock clock, Consumer<String> lost,
            Predicate<StoreException> unreachable) {
        this.ownership = ownership;
        this.state = state;
        this.clock = clock;
        this.lost = lost;
        this.unreachable = unreachable;
    }

    public Heartbeat start() {
        long period = WatcherRegistry.HEARTBEAT.toMillis();
        schedule.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
        return this;
    }

    /** One beat: the ownership checked (and taken again when its session was lost), then the row written. */
    void tick() {
        try {
            if (gone) {
                return;
            }
            keepOwnership();
            if (!gone) {
                beat();
            }
        } catch (RuntimeException e) {
            LOG.error("[watcher] heartbeat failed", e);
        }
    }

    private void keepOwnership() {
        if (!sessionLost && ownership.sessionAlive()) {
            return;
        }
        if (!sessionLost) {
            sessionLost = true;
            nextRetake = clock.instant();
            // Said at info level: a server that went away is the outage's one warning.
            LOG.info("[watcher] lost the database session that holds the watch paths' locks; taking them again once"
                    + " the server answers");
        }
        if (clock.instant().isBefore(nextRetake)) {
            return;
        }
        switch (ownership.retake()) {
            case HELD -> {
                sessionLost = false;
                retakeBackoff.reset();
                LOG.info("[watcher] holds the watch paths' locks again");
            }
            case SERVER_DOWN -> nextRetake = clock.instant().plus(retakeBackoff.next());
            case TAKEN -> {
                gone = true;
                lost.accept("another watcher on this host took a watch path while the database session holding"
                        + " its lock was lost; stopping (see 'asset-index status')");
            }
        }
    }

    private void beat() {
        WatcherSnapshot now = state.view();
        try {
            ownership.beat(new WatcherRegistry.Beat(rowState(now.state()), now.processedCount(), now.failedCount(),
                    now.queueDepth(), now.api() == null ? null : now.api().url(), now.lastError()));
            if (beatFailing) {
                beatFailing = false;
                LOG.info("[watcher] the watchers table is written again");
            }
        } catch (StoreException e) {
            if (!unreachable.test(e) && !beatFailing) {
                beatFailing = true;
                LOG.warn("[watcher] cannot write the heartbeat to the watchers table: {}", e.getMessage());
            }
        }
    }

    /** The watchers table's state of a watcher's phase (a server without a watcher is not in the table). */
    static String rowState(String phase) {
        return switch (phase) {
            case "starting", "scanning", "watching", "stopping", "stopped" -> phase;
            default -> "watching";
        };
    }

    /** Stops beating; the caller closes the ownership (marking the row stopped). */
    @Override
    public void close() {
        schedule.shutdownNow();
        try {
            schedule.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
