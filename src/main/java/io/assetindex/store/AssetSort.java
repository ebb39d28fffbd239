package io.assetindex.store;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The orders {@code list} can browse assets in. Ties are always broken by id (in the sort's
 * direction), so every order is total and pages neither skip nor repeat an asset. Each order
 * has an index (migration 6), so a page costs the same at any index size.
 */
public enum AssetSort {
    /** Most recently indexed first. */
    NEWEST("assets_indexed_at", dialect -> "a.indexed_at DESC, a.id DESC"),
    /** First indexed first. */
    OLDEST("assets_indexed_at", dialect -> "a.indexed_at, a.id"),
    /** Most recently captured first (see {@link Migrations#CAPTURE_KEY}); unknown capture times last. */
    CAPTURED("assets_captured", dialect -> dialect.captureKey() + " DESC" + dialect.nullsLastDescending() + ", a.id DESC"),
    /** By file name, ignoring the case of ASCII letters. */
    NAME("assets_file_name", dialect -> dialect.caseless("a.file_name") + ", a.id"),
    /** Largest first. */
    SIZE("assets_size_bytes", dialect -> "a.size_bytes DESC, a.id DESC"),
    /** Longest first; images (no duration) last. */
    DURATION("assets_duration", dialect -> "a.duration_seconds DESC" + dialect.nullsLastDescending() + ", a.id DESC");

    public static final AssetSort DEFAULT = NEWEST;

    /** The index (migration 6) that holds assets in this order, or its reverse. */
    private final String index;
    /** The ORDER BY over {@code assets a}: the index's expressions, in its order or the reverse. */
    private final Function<Dialect, String> orderBy;

    AssetSort(String index, Function<Dialect, String> orderBy) {
        this.index = index;
        this.orderBy = orderBy;
    }

    String index() {
        return index;
    }

    String orderBy(Dialect dialect) {
        return orderBy.apply(dialect);
    }

    /** The name people and URLs use: newest, oldest, captured, name, size, duration. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<AssetSort> fromId(String id) {
        return Arrays.stream(values()).filter(sort -> sort.id().equals(id)).findFirst();
    }

    /** The names, for a message saying what is allowed: "newest, oldest, ...". */
    public static String ids() {
        return Arrays.stream(values()).map(AssetSort::id).collect(Collectors.joining(", "));
    }
}
