package io.assetindex.search;

import io.assetindex.search.VectorIndex.Hit;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.EmbeddingModel;
import io.assetindex.store.FeedPosition;
import io.assetindex.store.SearchFilter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * The vectors one search sees: what was loaded at once (the base), and the vectors that changed
 * since (the delta, small). A vector that changed or went away is not searchable in the base any
 * more; a delta vector supersedes it. Searching both and keeping the best k of the two answers is
 * exactly the search of one index holding the current vectors: every id is searchable in at most
 * one of them. Immutable: a new snapshot replaces it when the index changes, and searches running
 * on the old one finish on it.
 *
 * @param model            the embedding model the vectors are of, or null for an index without vectors
 * @param baseSearchable   slots of the base that may be returned: a live path, not superseded
 * @param deltaSearchable  slots of the delta that may be returned
 * @param position         the change-feed position this snapshot has followed up to
 * @param ahead            assets whose changes after {@code position} it holds already (committed by
 *                         transactions younger than one still running, see {@link
 *                         io.assetindex.store.ChangePage#ahead()})
 */
public record VectorSnapshot(EmbeddingModel model, VectorIndex base, BitSet baseSearchable, VectorIndex delta,
        BitSet deltaSearchable, FeedPosition position, Set<String> ahead) {

    /** A snapshot of one index built at once (the in-process search of a command). */
    static VectorSnapshot of(EmbeddingModel model, VectorIndex index, FeedPosition position) {
        return new VectorSnapshot(model, index, index.live(), VectorIndex.empty(index.dimension()), new BitSet(), position,
                Set.of());
    }

    public int dimension() {
        return base.dimension();
    }

    /** How many vectors a search with no filter considers. */
    public int searchable() {
        return baseSearchable.cardinality() + deltaSearchable.cardinality();
    }

    /** Bytes held by both indexes. */
    public long memoryBytes() {
        return base.memoryBytes() + delta.memoryBytes();
    }

    /** Vectors held: searchable or not. */
    public int size() {
        return base.size() + delta.size();
    }

    /** Which slots of the base and of the delta a search may return. Not changed once made. */
    public record Allowed(BitSet base, BitSet delta) {
        /** How many vectors a search with these considers. */
        public int count() {
            return base.cardinality() + delta.cardinality();
        }
    }

    /**
     * The searchable slots that meet the shape conditions of {@code filter} (its other conditions
     * are not looked at) and, unless {@code only} is null, hold one of those ids.
     */
    public Allowed allowed(SearchFilter filter, Collection<String> only) {
        SearchFilter shape = filter.shape();
        BitSet inBase = shape.isEmpty() ? (BitSet) baseSearchable.clone() : base.withShape(shape, baseSearchable);
        BitSet inDelta = shape.isEmpty() ? (BitSet) deltaSearchable.clone() : delta.withShape(shape, deltaSearchable);
        if (only != null) {
            inBase.and(slots(base, only));
            inDelta.and(slots(delta, only));
        }
        return new Allowed(inBase, inDelta);
    }

    /**
     * What {@link #allowed(SearchFilter, Collection)} gives for {@code filter} and the ids that
     * match its other conditions, worked out from what it gave on an {@code earlier} snapshot of
     * the same base: only the assets that changed in between are looked at again.
     *
     * @param changed         the assets whose vector or paths changed since {@code earlier}
     * @param changedMatching those of them that match the filter's other conditions now
     */
    public Allowed updated(VectorSnapshot earlier, Allowed before, SearchFilter filter, Set<String> changed,
            Set<String> changedMatching) {
        SearchFilter shape = filter.shape();
        BitSet inBase = (BitSet) before.base().clone();
        inBase.and(baseSearchable);
        for (String id : changed) {
            int slot = base.slotOf(id);
            if (slot >= 0) {
                inBase.set(slot, baseSearchable.get(slot) && changedMatching.contains(id) && base.hasShape(shape, slot));
            }
        }
        BitSet inDelta = new BitSet();
        for (int slot = deltaSearchable.nextSetBit(0); slot >= 0; slot = deltaSearchable.nextSetBit(slot + 1)) {
            String id = delta.idAt(slot);
            boolean allowed;
            if (changed.contains(id)) {
                allowed = changedMatching.contains(id) && delta.hasShape(shape, slot);
            } else {
                int was = earlier.delta().slotOf(id);
                allowed = was >= 0 && before.delta().get(was);
            }
            inDelta.set(slot, allowed);
        }
        return new Allowed(inBase, inDelta);
    }

    /** These, without the slots of {@code exclude}'s ids. */
    public Allowed excluding(Allowed allowed, Collection<String> exclude) {
        if (exclude.isEmpty()) {
            return allowed;
        }
        BitSet inBase = (BitSet) allowed.base().clone();
        BitSet inDelta = (BitSet) allowed.delta().clone();
        inBase.andNot(slots(base, exclude));
        inDelta.andNot(slots(delta, exclude));
        return new Allowed(inBase, inDelta);
    }

    /**
     * The {@code k} nearest of the allowed vectors, nearest first, ties by id.
     *
     * @param exact the float32 vectors candidates are scored with (see {@link VectorIndex})
     */
    public Result search(float[] query, int k, Metric metric, Allowed allowed, VectorIndex.ExactVectors exact,
            ExecutorService pool, int threads) {
        List<Hit> hits = new ArrayList<>(base.search(query, k, metric, allowed.base(), exact, pool, threads));
        if (!allowed.delta().isEmpty()) {
            hits.addAll(delta.search(query, k, metric, allowed.delta(), exact, pool, threads));
            hits.sort(Comparator.comparingDouble(Hit::distance).thenComparing(Hit::id));
        }
        return new Result(allowed.count(), hits.subList(0, Math.min(k, hits.size())));
    }

    /**
     * The {@code k} nearest searchable vectors, nearest first, ties by id.
     *
     * @param only    ids that may be returned (a filter's matches), or null for all
     * @param exclude ids never returned
     */
    public Result search(float[] query, int k, Metric metric, Collection<String> only, Collection<String> exclude,
            VectorIndex.ExactVectors exact, ExecutorService pool, int threads) {
        return search(query, k, metric, excluding(allowed(SearchFilter.NONE, only), exclude), exact, pool, threads);
    }

    /** What a search found, and among how many vectors. */
    public record Result(int searched, List<Hit> hits) {}

    private static BitSet slots(VectorIndex index, Collection<String> ids) {
        BitSet slots = new BitSet();
        for (String id : ids) {
            int slot = index.slotOf(id);
            if (slot >= 0) {
                slots.set(slot);
            }
        }
        return slots;
    }
}
