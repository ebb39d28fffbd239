package io.assetindex.search;

import io.assetindex.store.AssetFacets;
import io.assetindex.store.AssetPage;
import io.assetindex.store.ListedAsset;
import io.assetindex.store.SearchFilter;
import io.assetindex.util.Timestamps;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON document of a page of {@code list}: what {@code list --json} prints and
 * {@code GET /api/v1/assets} answers, built here only so the two stay equal. Keys are snake_case;
 * every key is present, null where unknown. {@code facets} count every matching asset, not the
 * page's (see {@link AssetFacets}). A result has a search hit's fields (without
 * {@code distance}) plus {@code size_bytes}, {@code indexed_at} and {@code captured_at}.
 */
public final class ListDocument {
    private ListDocument() {}

    /**
     * {@code {total, facets, limit, offset, sort, filters, results}}; times in {@code zone}, ISO-8601
     * with offset. The root facet names only {@code watchPaths}: a path recorded under a watch path
     * no longer configured is not one a request can filter by.
     */
    public static Map<String, Object> of(AssetPage page, List<String> watchPaths, ZoneId zone) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("total", page.total());
        document.put("facets", facets(page.facets().withRootsAmong(watchPaths)));
        document.put("limit", page.limit());
        document.put("offset", page.offset());
        document.put("sort", page.sort().id());
        document.put("filters", filters(page.filter()));
        List<Map<String, Object>> results = new ArrayList<>();
        for (int i = 0; i < page.assets().size(); i++) {
            results.add(result(page.rank(i), page.assets().get(i), zone));
        }
        document.put("results", results);
        return document;
    }

    /** The filter by the names of its options and parameters (min_duration, tag ...), unset ones null. */
    public static Map<String, Object> filters(SearchFilter filter) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("type", filter.mediaType() == null ? null : filter.mediaType().id());
        out.put("min_duration", filter.minDurationSeconds());
        out.put("max_duration", filter.maxDurationSeconds());
        out.put("min_width", filter.minWidth());
        out.put("min_height", filter.minHeight());
        out.put("root", filter.sourceRoot());
        out.put("folder", filter.folder());
        out.put("job", filter.jobId());
        out.put("tag", filter.anyTags());
        out.put("path", filter.pathContains());
        out.put("audio_role", filter.audioRole());
        return out;
    }

    /**
     * {@code {media_type, root, job, tag}}, each a list of {@code {value, count}}; a value is what the
     * filter {@code type}, {@code root}, {@code job} or {@code tag} takes.
     */
    private static Map<String, Object> facets(AssetFacets facets) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("media_type", counts(facets.mediaTypes()));
        out.put("root", counts(facets.roots()));
        out.put("job", counts(facets.jobs()));
        out.put("tag", counts(facets.tags()));
        return out;
    }

    private static List<Map<String, Object>> counts(List<AssetFacets.Count> counts) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (AssetFacets.Count count : counts) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("value", count.value());
            entry.put("count", count.count());
            out.add(entry);
        }
        return out;
    }

    private static Map<String, Object> result(long rank, ListedAsset asset, ZoneId zone) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rank", rank);
        out.put("id", asset.id());
        out.put("file_name", asset.fileName());
        out.put("media_type", asset.mediaType().id());
        out.put("width", asset.width());
        out.put("height", asset.height());
        out.put("duration_seconds", asset.durationSeconds());
        out.put("fps", asset.fps());
        out.put("has_audio", asset.hasAudio());
        out.put("has_transcript", asset.hasTranscript());
        out.put("job_id", asset.jobId());
        out.put("style", asset.style());
        out.put("summary", asset.summary());
        out.put("audio_role", asset.audioRole());
        out.put("paths", asset.paths());
        out.put("tags", asset.tags());
        out.put("mood", asset.mood());
        out.put("size_bytes", asset.sizeBytes());
        out.put("indexed_at", Timestamps.local(asset.indexedAt(), zone));
        out.put("captured_at", asset.capturedAt());
        return out;
    }
}
