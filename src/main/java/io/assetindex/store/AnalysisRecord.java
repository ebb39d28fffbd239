package io.assetindex.store;

/** What one analyzer returned for one content under one configuration (a row of analysis_cache). */
public record AnalysisRecord(String analyzer, String configHash, String resultJson, long durationMs) {}
