package io.assetindex.search;

import io.assetindex.store.AssetShape;
import io.assetindex.store.ChangePage;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.FeedPosition;
import io.assetindex.store.IndexChange;
import io.assetindex.store.IndexReader;
import io.assetindex.store.StoreException;
import io.assetindex.util.HeapTrim;
import io.assetindex.util.Threads;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vectors of an index held in memory by a running service, following every commit: new,
 * changed, re-embedded and deleted assets, paths that come and go, a model promoted, whichever
 * process wrote them (the watcher, a scan beside it, an import, watchers on other machines sharing
 * one PostgreSQL database).
 *
 * <p>How: every write to the vectors, the paths and the models adds a row to the index's change
 * feed ({@code index_changes}, by triggers in the same transaction), and this polls the feed
 * every {@link #POLL}. Changed vectors go to a small delta index, rebuilt at each poll; the base
 * index, loaded at once, only loses what was superseded; searches see an immutable
 * {@link VectorSnapshot} of both, replaced atomically. When the delta grows past a tenth of the
 * base (at least {@link #MIN_DELTA_TO_COMPACT}), when the model changes, or when the feed was
 * trimmed past the last change read (a service that slept), everything is loaded again in the
 * background while searches go on with the current snapshot. A search never loads anything; the
 * first load too runs in the background, and searches wait for it.
 *
 * <p>With several writers (PostgreSQL), transactions commit in another order than their changes
 * were numbered: the feed's position advances only over changes of finished transactions, so none
 * is skipped (see {@code ChangeRepository}), and committed changes beyond it are applied at once
 * and remembered, so one long transaction does not hold back what searches see.
 */
public final class LiveVectorIndex implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveVectorIndex.class);
    /** How often the change feed is read: a commit is searchable within this (plus the rebuild of the delta). */
    static final Duration POLL = Duration.ofMillis(250);
    static final int MIN_DELTA_TO_COMPACT = 20_000;
    private static final int FEED_PAGE = 20_000;
    /** How long a search waits for the first load of the vectors (a million take about 10 s). */
    static final Duration FIRST_LOAD = Duration.ofMinutes(5);

    /** A changed vector, whether its asset has a live path, and its asset's shape. */
    private record Changed(byte[] packed, boolean live, AssetShape shape) {}

    private final IndexReader reader;
    private final ScheduledExecutorService updater = Executors.newSingleThreadScheduledExecutor(
            Threads.daemon("vector-index"));
    /** Vectors changed since the base was loaded, by id; touched only by the updater thread. */
    private final Map<String, Changed> delta = new HashMap<>();
    /**
     * Changes applied before the feed's position reached them (see {@link ChangePage#ahead()}), by
     * position, with their asset; touched only by the updater thread.
     */
    private final Map<FeedPosition, String> appliedAhead = new HashMap<>();
    private volatile VectorSnapshot snapshot;
    /** Following the feed failed at the last poll; touched only by the updater thread. */
    private boolean failing;
    /** Done once the vectors were loaded the first time. */
    private final CompletableFuture<Void> loaded = new CompletableFuture<>();

    private LiveVectorIndex(IndexReader reader) {
        this.reader = reader;
    }

    /**
     * Starts loading the index's vectors in the background and follows its changes from then on.
     * A service is up meanwhile (its start-up scan runs beside the load); {@link #current} waits for
     * the first load.
     */
    public static LiveVectorIndex open(IndexReader reader) {
        LiveVectorIndex index = new LiveVectorIndex(reader);
        index.updater.scheduleWithFixedDelay(index::pollSafely, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
        return index;
    }

    /**
     * What searches see now; until the vectors are first loaded, waits for them (up to {@link #FIRST_LOAD}).
     *
     * @throws IllegalStateException when they could not be loaded in that time (the cause is in the log)
     */
    public VectorSnapshot current() {
        try {
            loaded.get(FIRST_LOAD.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the vectors were loading", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the vectors for search are not loaded yet; see watcher.err.log", e);
        }
        return snapshot;
    }

    /** Reads the change feed now, on the updater thread, and waits for it (tests; a caller that just wrote). */
    public void refresh() {
        try {
            updater.submit(this::step).get(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("cannot follow the index's changes: " + e.getMessage(), e);
        }
    }

    /** The first load until it succeeds, then a read of the change feed. */
    private void step() {
        if (!loaded.isDone()) {
            reload();
            loaded.complete(null);
        } else {
            poll();
        }
    }

    /** Polls, saying once when following fails and once when it works again (a database restarting: every poll). */
    private void pollSafely() {
        try {
            step();
            if (failing) {
                failing = false;
                LOG.info("[search] following the index's changes again");
            }
        } catch (RuntimeException e) {
            if (failing) {
                LOG.debug("[search] cannot follow the index's changes yet", e);
            } else if (StoreException.databaseUnreachable(e)) {
                failing = true;
                LOG.info("[search] cannot reach the index database ({}); searches answer from the vectors held in"
                        + " memory, and follow the changes again when it is back", e.getMessage());
            } else {
                failing = true;
                LOG.warn("[search] cannot follow the index's changes: {}; trying again", e.getMessage(), e);
            }
        }
    }

    private void poll() {
        VectorSnapshot current = snapshot;
        ChangePage page = reader.changesAfter(current.position(), FEED_PAGE);
        if (page.startOver()) {
            reload(); // the feed was trimmed past what was read, or replaced (a restored index)
            return;
        }
        List<IndexChange> finished = page.finished();
        List<IndexChange> ahead = page.ahead().stream()
                .filter(change -> !appliedAhead.containsKey(change.position())).toList();
        if (finished.isEmpty() && ahead.isEmpty()) {
            return;
        }
        if (Stream.concat(finished.stream(), ahead.stream()).anyMatch(change -> IndexChange.MODEL.equals(change.what()))) {
            reload();
            return;
        }
        FeedPosition position = finished.isEmpty() ? current.position() : finished.get(finished.size() - 1).position();
        List<IndexChange> changes = new ArrayList<>(ahead);
        finished.stream().filter(change -> !appliedAhead.containsKey(change.position())).forEach(changes::add);
        ahead.forEach(change -> appliedAhead.put(change.position(), change.assetId()));
        appliedAhead.keySet().removeIf(applied -> !applied.isAfter(position));
        apply(current, changes, position);
        if (delta.size() > Math.max(MIN_DELTA_TO_COMPACT, current.base().size() / 10)) {
            reload();
        } else if (finished.size() == FEED_PAGE) {
            poll();
        }
    }

    private void apply(VectorSnapshot current, List<IndexChange> changes, FeedPosition position) {
        TreeSet<String> ids = new TreeSet<>();
        changes.stream().map(IndexChange::assetId).filter(id -> id != null).forEach(ids::add);
        Map<String, Changed> rows = new HashMap<>();
        if (!ids.isEmpty()) {
            reader.activeVectorsOf(new ArrayList<>(ids), (id, packed, live, shape) -> rows.put(id, new Changed(packed, live, shape)));
        }
        VectorIndex base = current.base();
        BitSet baseSearchable = (BitSet) current.baseSearchable().clone();
        for (String id : ids) {
            Changed row = rows.get(id);
            int slot = base.slotOf(id);
            if (row == null || row.packed().length != base.dimension() * Float.BYTES) {
                if (row != null) {
                    LOG.warn("[search] asset {} has a vector of another dimension than the index's; not searched", id);
                }
                if (slot >= 0) {
                    baseSearchable.clear(slot);
                }
                delta.remove(id);
            } else if (slot >= 0 && !delta.containsKey(id) && base.holds(slot, row.packed())) {
                baseSearchable.set(slot, row.live()); // only its paths changed
            } else {
                if (slot >= 0) {
                    baseSearchable.clear(slot);
                }
                delta.put(id, row);
            }
        }
        VectorIndex deltaIndex = ids.isEmpty() ? current.delta() : buildDelta(base.dimension());
        snapshot = new VectorSnapshot(current.model(), base, baseSearchable, deltaIndex,
                ids.isEmpty() ? current.deltaSearchable() : deltaIndex.live(), position,
                Set.copyOf(appliedAhead.values()));
    }

    private VectorIndex buildDelta(int dimension) {
        VectorIndex.Builder builder = VectorIndex.builder(dimension, delta.size());
        new TreeMap<>(delta).forEach((id, row) -> builder.add(id, row.packed(), row.live(), row.shape()));
        return builder.build();
    }

    /** Loads every active vector; the feed position is read first, so nothing committed meanwhile is missed. */
    private void reload() {
        FeedPosition position = reader.changeHead();
        // What committed beyond the position is in the vectors loaded next: not to be applied (or reloaded for) again.
        appliedAhead.clear();
        reader.changesAfter(position, FEED_PAGE).ahead()
                .forEach(change -> appliedAhead.put(change.position(), change.assetId()));
        Optional<EmbeddingModel> model = reader.activeModel();
        VectorIndex base;
        if (model.isEmpty()) {
            base = VectorIndex.empty(0);
        } else {
            VectorIndex.Builder builder = VectorIndex.builder(model.get().dimension(),
                    (int) Math.min(Integer.MAX_VALUE, reader.countActiveVectors()));
            reader.activeVectors(builder::add);
            base = builder.build();
        }
        delta.clear();
        snapshot = VectorSnapshot.of(model.orElse(null), base, position);
        LOG.info("[search] {} vectors held in memory for search ({} MiB)", base.size(), base.memoryBytes() >> 20);
        HeapTrim.JVM.after("the vectors' load", base.size()); // what was read to build them, and a replaced snapshot
    }

    @Override
    public void close() {
        updater.shutdownNow();
    }
}
