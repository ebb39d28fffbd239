package io.assetindex.store;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * How the assets that match a filter divide up, so that a person browsing can narrow them with a
 * click: by type, by watch path, by job and by AI tag. Counted over every matching asset (all
 * pages, not one), and over live paths only. Each list is ordered by count, largest first, then
 * by value; a value is one that the filter of that name takes as it stands.
 *
 * @param mediaTypes the assets of each type (image, video, audio)
 * @param roots      the distinct assets with a matching live path under each watch path
 * @param jobs       the distinct assets with a matching live path in each job
 * @param tags       the assets whose AI tags hold each word, in lower case as the tag filter compares
 *                   them (ASCII letters only, as SQLite's {@code lower}); the {@link #TOP_TAGS} most frequent
 */
public record AssetFacets(List<Count> mediaTypes, List<Count> roots, List<Count> jobs, List<Count> tags) {

    /** How many tags are kept: the most frequent ones. */
    public static final int TOP_TAGS = 30;

    /** Most first, then by value (in code point order, as SQLite orders text). */
    private static final Comparator<Count> RANKED = Comparator.comparingLong(Count::count).reversed()
            .thenComparing(Count::value);

    /** One value of a facet and how many matching assets have it. */
    public record Count(String value, long count) {}

    public AssetFacets {
        mediaTypes = List.copyOf(mediaTypes);
        roots = List.copyOf(roots);
        jobs = List.copyOf(jobs);
        tags = List.copyOf(tags);
    }

    /** How many assets match: each has one type. */
    public long total() {
        return mediaTypes.stream().mapToLong(Count::count).sum();
    }

    /** Counts as a facet's list: at most {@code most} values, by count, largest first, then by value. */
    static List<Count> ranked(Map<String, Long> counts, int most) {
        return counts.entrySet().stream().map(entry -> new Count(entry.getKey(), entry.getValue())).sorted(RANKED)
                .limit(most).toList();
    }

    /**
     * These facets with only the watch paths given among the roots: paths recorded under a watch
     * path that is no longer configured still count elsewhere, but a request cannot filter by it.
     */
    public AssetFacets withRootsAmong(Collection<String> watchPaths) {
        return new AssetFacets(mediaTypes, roots.stream().filter(root -> watchPaths.contains(root.value())).toList(),
                jobs, tags);
    }
}
