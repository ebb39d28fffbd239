package io.assetindex.query;

/**
 * A page of the scan history, newest first.
 *
 * @param kind a kind of run as the history names it ({@code scan}, {@code rescan} …), or null for all
 */
public record HistoryQuery(String kind, int limit, int offset) {}
