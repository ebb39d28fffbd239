package io.assetindex.store;

/**
 * One change a search that holds vectors in memory must follow ({@code index_changes}, written
 * by triggers in the transaction of every write, whichever process makes it).
 *
 * @param position where it is in the feed
 * @param assetId  the asset whose vector or live paths changed; null for a change of model
 * @param what     "vector", "path", "asset" (what a filter reads of it: tags, mood, audio role) or "model"
 */
public record IndexChange(FeedPosition position, String assetId, String what) {
    public static final String VECTOR = "vector";
    public static final String PATH = "path";
    public static final String ASSET = "asset";
    public static final String MODEL = "model";
}
