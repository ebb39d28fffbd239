package io.assetindex.store;

import java.time.Instant;

/**
 * A row of the analysis cache as {@code show} tells it: the result, when it was computed, and the
 * settings its config hash stands for.
 *
 * @param settings the snapshot of its config hash, or null when none was recorded (a result
 *                 computed before config snapshots were kept, under settings no run has had since)
 */
public record CachedAnalysis(AnalysisRecord record, Instant computedAt, ConfigSnapshot settings) {}
