package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One step of analysis (probe, integrity, thumbnail, describe, transcribe, embed ...).
 *
 * <p>Its result is a JSON object. Keys named like an asset column ({@code width},
 * {@code duration_seconds}, {@code summary} ...) fill that column; the whole object goes to
 * {@code raw_json} under the analyzer's name and to the analysis cache under
 * (content hash, {@link #name()}, {@link #configHash()}). Implementations must be safe to
 * call from several threads at once, and must give up promptly when the thread is interrupted.
 */
public interface Analyzer {

    /** Stable name: the cache key, the stage in process_log, the key in raw_json. */
    String name();

    /**
     * Its version and every setting that changes its results: the canonical text its config hash
     * is made from, and the same as JSON. Recorded with the hash, so that a result stays
     * explainable after the settings change.
     */
    AnalyzerSettings settings();

    /**
     * {@code sha256:<hex>} of {@link #settings()}' text. A different hash means earlier results are
     * stale and the analyzer runs again; the same hash means it never runs twice for the same
     * content. Asked for every file: implementations keep it rather than hash again.
     */
    default String configHash() {
        return settings().configHash();
    }

    boolean appliesTo(MediaType mediaType);

    /**
     * Whether a failure fails the whole file (the file is not indexed and is retried later),
     * as for an unreadable file; otherwise only this analyzer's result is missing.
     */
    boolean required();

    ObjectNode analyze(AnalysisInput input) throws AnalysisException;

    /**
     * How many files {@link #analyzeAll} should get at once: above 1 when analyzing several
     * together is cheaper than one by one (one request to a remote API for many texts).
     */
    default int batchSize() {
        return 1;
    }

    /**
     * Analyzes several files, one result per input in order; called only when
     * {@link #batchSize()} is above 1. A failure fails every file of the call.
     */
    default List<ObjectNode> analyzeAll(List<AnalysisInput> inputs) throws AnalysisException {
        List<ObjectNode> results = new ArrayList<>(inputs.size());
        for (AnalysisInput input : inputs) {
            results.add(analyze(input));
        }
        return results;
    }

    /**
     * New files are about to be analysed: starts loading in the background what its first call
     * would wait for (a model), so that it overlaps the first files' other work.
     */
    default void prepare() {
    }

    /**
     * Whether its {@link #analyze} calls for files indexed at the same time wait to be run together
     * (an embedding model's batch): the indexer lends the file's turn while it waits (see
     * {@link Turns}).
     */
    default boolean combines() {
        return false;
    }

    /**
     * Whether it runs only after the file is indexed, in the background re-analysis, instead of
     * while the file waits: for slow or paid remote calls (AI descriptions, transcripts), so a
     * dropped file is searchable by its name and facts within seconds either way.
     */
    default boolean deferred() {
        return false;
    }

    /**
     * The analyzers whose results this one reads: when one of them computes a new result for a
     * file, this one's cached result is out of date and it runs again (the search text after a
     * new description).
     */
    default Set<String> inputs() {
        return Set.of();
    }

    /** How many files the background re-analysis may give it at once (requests in flight to its API). */
    default int parallelism() {
        return 1;
    }

    /**
     * Why a result it returned means the file must not be indexed (a corrupt file), or empty.
     * The result is still cached, so the same content is judged without running again.
     */
    default Optional<String> rejection(ObjectNode result, AnalysisInput input) {
        return Optional.empty();
    }

    /**
     * A cached result of this analyzer for the file, as it is to be used now: the same, unless
     * part of it is judged under settings outside the config hash (integrity's ignore rules).
     */
    default ObjectNode reused(ObjectNode cached, AnalysisInput input) {
        return cached;
    }
}
