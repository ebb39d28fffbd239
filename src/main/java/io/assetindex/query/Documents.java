package io.assetindex.query;

import io.assetindex.config.WatchRoot;
import io.assetindex.search.SearchService;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetDetails;
import io.assetindex.store.LogEntry;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON documents of the commands and the API, built in one place: what {@code --json} prints
 * is what the API answers. Keys are snake_case; times are ISO-8601 with the offset of the zone
 * given (stored times are UTC).
 */
public final class Documents {
    private Documents() {}

    /** A stored UTC timestamp as local ISO-8601 with offset. */
    public static String isoLocal(String stored, ZoneId zone) {
        return stored == null ? null : Timestamps.local(Timestamps.parse(stored), zone);
    }

    public static Map<String, Object> logEntry(LogEntry entry, ZoneId zone) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", entry.id());
        out.put("file_path", entry.filePath());
        out.put("content_hash", entry.contentHash());
        out.put("status", entry.status().id());
        out.put("stage", entry.stage());
        out.put("error", entry.error());
        out.put("detail", entry.detail());
        out.put("duration_ms", entry.durationMs());
        out.put("ran_at", Timestamps.local(entry.ranAt(), zone));
        return out;
    }

    public static Map<String, Object> log(List<LogEntry> entries, ZoneId zone) {
        return Map.of("entries", entries.stream().map(entry -> logEntry(entry, zone)).toList());
    }

    public static Map<String, Object> analysis(AnalysisRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("analyzer", record.analyzer());
        out.put("config_hash", record.configHash());
        out.put("duration_ms", record.durationMs());
        out.put("result", Json.read(record.resultJson()));
        return out;
    }

    /**
     * Search or similar results.
     *
     * @param request what was asked: {@code query}, or {@code similar_to} and {@code excluded}
     */
    public static Map<String, Object> search(SearchService.Results results, Map<String, Object> request) {
        Map<String, Object> document = new LinkedHashMap<>(request);
        document.put("model", results.model());
        document.put("metric", results.metric().name().toLowerCase(Locale.ROOT));
        document.put("searched", results.searched());
        document.put("results", results.matches().stream().map(Documents::match).toList());
        return document;
    }

    private static Map<String, Object> match(SearchService.Match match) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rank", match.rank());
        out.put("id", match.id());
        out.put("distance", match.distance());
        out.putAll(assetFacts(match.asset()));
        return out;
    }

    /**
     * The facts shown with a hit, as {@code list} shows them: {@code has_audio} true or false
     * (null when unknown), tags and mood as lists of words ([] when there are none).
     */
    public static Map<String, Object> assetFacts(Map<String, Object> row) {
        Map<String, Object> asset = new LinkedHashMap<>(row);
        asset.remove("id");
        if (asset.get("has_audio") instanceof Number number) {
            asset.put("has_audio", number.intValue() != 0);
        }
        Object tags = asset.remove("tags_json");
        Object mood = asset.remove("mood_json");
        asset.put("paths", asset.remove("paths"));
        asset.put("tags", Json.textList(tags instanceof String text ? text : null));
        asset.put("mood", Json.textList(mood instanceof String text ? text : null));
        return asset;
    }

    /** {@code show}: the asset's columns, every path, every analysis, the latest attempts. */
    public static Map<String, Object> show(AssetDetails asset, ZoneId zone) {
        Map<String, Object> columns = new LinkedHashMap<>(asset.columns());
        Object raw = columns.get("raw_json");
        if (raw instanceof String text) {
            columns.put("raw_json", Json.read(text));
        }
        columns.put("indexed_at", isoLocal((String) columns.get("indexed_at"), zone));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asset", columns);
        out.put("paths", asset.paths().stream().map(row -> path(row, zone)).toList());
        out.put("analyses", asset.analyses().stream().map(Documents::analysis).toList());
        out.put("attempts", asset.attempts().stream().map(entry -> logEntry(entry, zone)).toList());
        return out;
    }

    /** {@code show} of a file that is not indexed: why, from its attempts and what the analyzers found. */
    public static Map<String, Object> notIndexed(String path, String contentHash, List<AnalysisRecord> analyses,
            List<LogEntry> attempts, ZoneId zone) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("asset", null);
        document.put("path", path);
        document.put("content_hash", contentHash);
        document.put("analyses", analyses.stream().map(Documents::analysis).toList());
        document.put("attempts", attempts.stream().map(entry -> logEntry(entry, zone)).toList());
        return document;
    }

    private static Map<String, Object> path(Map<String, Object> row, ZoneId zone) {
        Map<String, Object> out = new LinkedHashMap<>(row);
        out.put("path", WatchRoot.displayPath((String) row.get("source_root"), (String) row.get("rel_path")));
        for (String key : List.of("first_seen_at", "last_seen_at", "deleted_at")) {
            out.put(key, isoLocal((String) row.get(key), zone));
        }
        return out;
    }
}
