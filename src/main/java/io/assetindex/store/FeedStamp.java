package io.assetindex.store;

/**
 * What the change feed looked like to one snapshot of the index, for remembering what was counted
 * in it: two snapshots with equal stamps saw the same committed changes. Opaque: compare for
 * equality only. On SQLite it is the last sequence number given. On PostgreSQL it is the oldest
 * transaction still running and how many changes of that or later transactions were visible: any
 * commit that changes what a snapshot sees is of such a transaction (older ones had all finished),
 * adds changes, and the feed is trimmed only below it.
 */
public record FeedStamp(long oldestRunning, long changes) {}
