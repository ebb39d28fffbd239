package io.assetindex.store;

/**
 * A place in the change feed ({@code index_changes}): a reader that has followed the feed up to
 * here has seen every change at or before it, and none of the changes after it can still appear
 * at or before it. Changes are ordered by the transaction that wrote them, then by their sequence
 * number: on PostgreSQL sequence numbers are given before commit, so a transaction committing
 * later may hold smaller ones, and only changes of finished transactions are read (see {@link
 * ChangeRepository}). On SQLite {@code xid} is always 0 (one writer at a time commits in sequence
 * order).
 */
public record FeedPosition(long xid, long seq) implements Comparable<FeedPosition> {
    /** Before every change. */
    public static final FeedPosition START = new FeedPosition(0, 0);

    @Override
    public int compareTo(FeedPosition other) {
        int byTransaction = Long.compare(xid, other.xid);
        return byTransaction != 0 ? byTransaction : Long.compare(seq, other.seq);
    }

    public boolean isAfter(FeedPosition other) {
        return compareTo(other) > 0;
    }
}
