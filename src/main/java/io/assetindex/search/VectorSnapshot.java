package io.assetindex.search;

import io.assetindex.search.VectorIndex.Hit;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.EmbeddingModel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
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
 * @param seq              the change-feed position this snapshot has followed up to
 */
public record VectorSnapshot(EmbeddingModel model, VectorIndex base, BitSet baseSearchable, VectorIndex delta,
        BitSet deltaSearchable, long seq) {

    /** A snapshot of one index built at once (the in-process search of a command). */
    static VectorSnapshot of(EmbeddingModel model, VectorIndex index, long seq) {
        return new VectorSnapshot(model, index, index.live(), VectorIndex.empty(index.dimension()), new BitSet(), seq);
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

    /**
     * The {@code k} nearest searchable vectors, nearest first, ties by id.
     *
     * @param only    ids that may be returned (a filter's matches), or null for all
     * @param exclude ids never returned
     */
    public Result search(float[] query, int k, Metric metric, Collection<String> only, Collection<String> exclude,
            ExecutorService pool, int threads) {
        BitSet inBase = allowed(base, baseSearchable, only, exclude);
        BitSet inDelta = allowed(delta, deltaSearchable, only, exclude);
        List<Hit> hits = new ArrayList<>(base.search(query, k, metric, inBase, pool, threads));
        if (!inDelta.isEmpty()) {
            hits.addAll(delta.search(query, k, metric, inDelta, pool, threads));
            hits.sort(Comparator.comparingDouble(Hit::distance).thenComparing(Hit::id));
        }
        return new Result(inBase.cardinality() + inDelta.cardinality(), hits.subList(0, Math.min(k, hits.size())));
    }

    /** What a search found, and among how many vectors. */
    public record Result(int searched, List<Hit> hits) {}

    private static BitSet allowed(VectorIndex index, BitSet searchable, Collection<String> only,
            Collection<String> exclude) {
        BitSet allowed = (BitSet) searchable.clone();
        if (only != null) {
            BitSet matching = new BitSet();
            for (String id : only) {
                int slot = index.slotOf(id);
                if (slot >= 0) {
                    matching.set(slot);
                }
            }
            allowed.and(matching);
        }
        for (String id : exclude) {
            int slot = index.slotOf(id);
            if (slot >= 0) {
                allowed.clear(slot);
            }
        }
        return allowed;
    }
}
