package io.assetindex.store;

import io.assetindex.MediaType;
import java.util.List;

/**
 * What search results must match, every field optional (null or empty: no condition).
 *
 * @param anyTags      matches when the asset's AI tags or mood contain any of these
 * @param pathContains a substring of one of its live paths (as shown, case-insensitive)
 * @param audioRole    what its sound is for, as the AI describer said (voice_over, background_music, sound_effect)
 */
public record SearchFilter(MediaType mediaType, Double minDurationSeconds, Double maxDurationSeconds, Integer minWidth,
        Integer minHeight, String sourceRoot, String jobId, List<String> anyTags, String pathContains, String audioRole) {

    public static final SearchFilter NONE = new SearchFilter(null, null, null, null, null, null, null, List.of(), null,
            null);

    public SearchFilter {
        anyTags = anyTags == null ? List.of() : List.copyOf(anyTags);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
