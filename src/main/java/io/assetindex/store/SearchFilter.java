package io.assetindex.store;

import io.assetindex.MediaType;
import java.util.List;

/**
 * What search and list results must match, every field optional (null or empty: no condition).
 * Checked when made: a filter that exists is one the queries can run.
 *
 * @param anyTags      matches when the asset's AI tags or mood contain any of these (at most {@link #MAX_TAGS})
 * @param pathContains a substring of one of its live paths (as shown, case-insensitive)
 * @param audioRole    what its sound is for, as the AI describer said (voice_over, background_music, sound_effect)
 * @param folder       a folder of {@code sourceRoot} (see {@link RelativeFolder}) that one of its live paths is
 *                     under, at any depth; "" is the same as none
 * @throws Invalid when a value is out of range
 */
public record SearchFilter(MediaType mediaType, Double minDurationSeconds, Double maxDurationSeconds, Integer minWidth,
        Integer minHeight, String sourceRoot, String jobId, List<String> anyTags, String pathContains, String audioRole,
        String folder) {

    /** Tags one filter may ask for: each is two SQL parameters, and SQLite allows 32,766 per statement. */
    public static final int MAX_TAGS = 100;

    public static final SearchFilter NONE = new SearchFilter(null, null, null, null, null, null, null, List.of(), null,
            null, null);

    /**
     * A value the filter cannot take. {@code field} is the filter's name as {@code list --json}
     * echoes it (min_duration, tag ...); the message says what is allowed.
     */
    public static final class Invalid extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final String field;

        Invalid(String field, String allowed) {
            super(field + " " + allowed);
            this.field = field;
        }

        public String field() {
            return field;
        }

        /** What is allowed, without the field's name. */
        public String allowed() {
            return getMessage().substring(field.length() + 1);
        }
    }

    public SearchFilter {
        anyTags = anyTags == null ? List.of() : List.copyOf(anyTags);
        seconds("min_duration", minDurationSeconds);
        seconds("max_duration", maxDurationSeconds);
        if (minDurationSeconds != null && maxDurationSeconds != null && minDurationSeconds > maxDurationSeconds) {
            throw new Invalid("max_duration", "must not be less than the minimum duration (" + minDurationSeconds + ")");
        }
        pixels("min_width", minWidth);
        pixels("min_height", minHeight);
        if (anyTags.size() > MAX_TAGS) {
            throw new Invalid("tag", "may be given at most " + MAX_TAGS + " times");
        }
        folder = folder == null || folder.isEmpty() ? null : folder;
        if (folder != null) {
            if (sourceRoot == null) {
                throw new Invalid("folder", RelativeFolder.NEEDS_ROOT);
            }
            String problem = RelativeFolder.problem(folder).orElse(null);
            if (problem != null) {
                throw new Invalid("folder", problem);
            }
        }
    }

    private static void seconds(String field, Double value) {
        if (value != null && !(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new Invalid(field, "must be a number of seconds, 0 or more");
        }
    }

    private static void pixels(String field, Integer value) {
        if (value != null && value < 0) {
            throw new Invalid(field, "must be a number of pixels, 0 or more");
        }
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    /** The conditions on the asset's {@link AssetShape} only: type, duration range, minimum width and height. */
    public SearchFilter shape() {
        return new SearchFilter(mediaType, minDurationSeconds, maxDurationSeconds, minWidth, minHeight, null, null,
                List.of(), null, null, null);
    }

    /**
     * The other conditions: on its paths (watch path, folder, job, path text) and on what analysis
     * found (tags, role).
     */
    public SearchFilter withoutShape() {
        return new SearchFilter(null, null, null, null, null, sourceRoot, jobId, anyTags, pathContains, audioRole,
                folder);
    }

    /** Whether an asset of this shape meets the shape's conditions (an unknown value meets none on it), as SQL does. */
    public boolean matches(AssetShape shape) {
        return (mediaType == null || mediaType == shape.type())
                && (minDurationSeconds == null || (shape.durationSeconds() != null
                        && shape.durationSeconds() >= minDurationSeconds))
                && (maxDurationSeconds == null || (shape.durationSeconds() != null
                        && shape.durationSeconds() <= maxDurationSeconds))
                && (minWidth == null || (shape.width() != null && shape.width() >= minWidth))
                && (minHeight == null || (shape.height() != null && shape.height() >= minHeight));
    }
}
