package io.assetindex;

import java.util.Locale;

/** The kinds of media the index holds; the lower-case name is what the database stores. */
public enum MediaType {
    IMAGE,
    VIDEO,
    AUDIO;

    /** The name stored in {@code assets.media_type} and accepted by {@code --type}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static MediaType fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
