package io.assetindex.search;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** How a search finds assets: by the words in their texts, by meaning, or both (the default). */
public enum SearchMode {
    /** Keywords (BM25) and meaning (vectors), fused by reciprocal rank. */
    HYBRID,
    /** The keyword index alone. */
    KEYWORD,
    /** The vectors alone. */
    SEMANTIC;

    public static final SearchMode DEFAULT = HYBRID;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<SearchMode> fromId(String id) {
        return Arrays.stream(values()).filter(mode -> mode.id().equals(id)).findFirst();
    }

    public static String ids() {
        return Arrays.stream(values()).map(SearchMode::id).collect(Collectors.joining(", "));
    }
}
