package io.assetindex.store;

import java.util.Locale;
import java.util.Optional;

/**
 * The asset columns that analyzers fill. The column name is also the key an analyzer uses
 * in its result, so a new analyzer fills a column by naming it.
 */
public enum AssetColumn {
    WIDTH(Long.class),
    HEIGHT(Long.class),
    DURATION_SECONDS(Double.class),
    FPS(Double.class),
    HAS_AUDIO(Boolean.class),
    STYLE(String.class),
    SUMMARY(String.class),
    TRANSCRIPT(String.class),
    AUDIO_ROLE(String.class),
    TAGS_JSON(String.class),
    MOOD_JSON(String.class),
    SCENES_JSON(String.class),
    EMBED_SOURCE(String.class),
    EMBED_MODEL(String.class);

    private final Class<?> type;

    AssetColumn(Class<?> type) {
        this.type = type;
    }

    public String column() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Class<?> type() {
        return type;
    }

    public static Optional<AssetColumn> byColumn(String column) {
        for (AssetColumn value : values()) {
            if (value.column().equals(column)) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }
}
