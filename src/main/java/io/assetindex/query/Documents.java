package io.assetindex.query;

import io.assetindex.config.WatchRoot;
import io.assetindex.index.AnalyzerSettings;
import io.assetindex.search.SearchService;
import io.assetindex.store.Acceptance;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetDetails;
import io.assetindex.store.CachedAnalysis;
import io.assetindex.store.FailingFile;
import io.assetindex.store.IntegrityFinding;
import io.assetindex.store.FolderCounts;
import io.assetindex.store.LogEntry;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

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

    /**
     * Where a file named in process_log is: its watch path and its path below it (null when it is
     * under no configured watch path now), and whether it is still a regular file there.
     */
    public record FileAt(String sourceRoot, String relPath, boolean present) {}

    /**
     * {@code failures}: the files whose last attempt failed, newest failure first, with what
     * failed, where the file is and whether it is still there, and the asset of the same content
     * when that is indexed.
     *
     * @param locate where each file is, by its path as process_log shows it
     */
    public static Map<String, Object> failures(FailingFile.Page page, int limit, int offset,
            Function<String, FileAt> locate, ZoneId zone) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("total", page.total());
        document.put("limit", limit);
        document.put("offset", offset);
        document.put("failures", page.files().stream().map(file -> failure(file, locate, zone)).toList());
        return document;
    }

    /**
     * A page of integrity findings, with the counts of each kind (after the filters).
     *
     * @param truncated the index held more findings than were read
     */
    public static Map<String, Object> integrity(List<IntegrityFinding> all, IntegrityQuery query, boolean truncated,
            java.util.function.Predicate<IntegrityFinding> present, ZoneId zone) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("total", all.size());
        document.put("corrupt", all.stream().filter(finding -> finding.verdict().equals("corrupt")).count());
        document.put("warnings", all.stream().filter(finding -> finding.verdict().equals("warning")).count());
        document.put("accepted", all.stream().filter(finding -> finding.verdict().equals("accepted")).count());
        document.put("bit_rot", all.stream().filter(finding -> finding.verdict().equals("bit-rot")).count());
        document.put("truncated", truncated);
        document.put("limit", query.limit());
        document.put("offset", query.offset());
        Map<String, Object> filters = new LinkedHashMap<>();
        filters.put("root", query.root());
        filters.put("type", query.type() == null ? null : query.type().id());
        document.put("filters", filters);
        document.put("findings", all.stream().skip(query.offset()).limit(query.limit()).map(finding -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("verdict", finding.verdict());
            out.put("path", io.assetindex.config.WatchRoot.displayPath(finding.sourceRoot(), finding.relPath()));
            out.put("source_root", finding.sourceRoot());
            out.put("rel_path", finding.relPath());
            out.put("media_type", finding.mediaType());
            out.put("tool", finding.tool());
            out.put("details", finding.details());
            out.put("checked_at", isoLocal(finding.checkedAt(), zone));
            out.put("since", isoLocal(finding.since(), zone));
            out.put("content_hash", finding.contentHash());
            out.put("indexed", finding.indexed());
            out.put("present", present.test(finding));
            out.put("accepted", acceptance(finding.acceptance(), zone));
            return out;
        }).toList());
        return document;
    }

    /** Who accepted a content as good, when and why; null when nobody did. */
    static Map<String, Object> acceptance(Acceptance acceptance, ZoneId zone) {
        if (acceptance == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("by", acceptance.acceptedBy());
        out.put("host", acceptance.host());
        out.put("at", Timestamps.local(acceptance.acceptedAt(), zone));
        out.put("note", acceptance.note());
        if (acceptance.verdict() != null) {
            out.put("verdict", acceptance.verdict());
        }
        return out;
    }

    private static Map<String, Object> failure(FailingFile file, Function<String, FileAt> locate, ZoneId zone) {
        LogEntry attempt = file.attempt();
        FileAt at = locate.apply(attempt.filePath());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("path", attempt.filePath());
        out.put("source_root", at.sourceRoot());
        out.put("rel_path", at.relPath());
        out.put("stage", attempt.stage());
        out.put("error", attempt.error());
        out.put("ran_at", Timestamps.local(attempt.ranAt(), zone));
        out.put("content_hash", attempt.contentHash());
        out.put("asset_id", file.assetId());
        out.put("present", at.present());
        return out;
    }

    /**
     * {@code folders} of one folder of a watch path: the folders one level down, each with its
     * distinct assets and, on the first level of a jobs root, its job id.
     *
     * @param root   the watch path
     * @param folder the folder below it ("" for the watch path itself)
     */
    public static Map<String, Object> folders(WatchRoot root, String folder, FolderCounts counts) {
        List<Map<String, Object>> children = counts.children().stream().map(child -> {
            String below = folder.isEmpty() ? child.name() : folder + "/" + child.name();
            String job = root.jobsRoot() && folder.isEmpty() ? child.jobId() : null;
            return folderEntry(child.name(), root.name(), below, WatchRoot.displayPath(root.name(), below),
                    child.assets(), job);
        }).toList();
        return folderDocument(root.name(), folder, root.jobsRoot(), children, counts);
    }

    /** {@code folders} above the watch paths: each watch path as a folder, in the order configured. */
    public static Map<String, Object> watchPaths(FolderCounts counts) {
        List<Map<String, Object>> children = counts.children().stream()
                .map(root -> folderEntry(root.name(), root.name(), "", root.name(), root.assets(), null)).toList();
        return folderDocument(null, "", false, children, counts);
    }

    private static Map<String, Object> folderDocument(String root, String folder, boolean jobsRoot,
            List<Map<String, Object>> children, FolderCounts counts) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("root", root);
        document.put("folder", folder);
        document.put("jobs_root", jobsRoot);
        document.put("folders", children);
        document.put("files_here", counts.filesHere());
        document.put("assets_under", counts.assetsUnder());
        return document;
    }

    private static Map<String, Object> folderEntry(String name, String root, String folder, String path, long assets,
            String job) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("root", root);
        out.put("folder", folder);
        out.put("path", path);
        out.put("assets", assets);
        out.put("job", job);
        return out;
    }

    /**
     * One analysis result of {@code show}: what the analyzer returned, when, and the settings it was
     * computed with ({@code settings}, null when not recorded), which are the configuration's now
     * ({@code settings_state} {@code current}), other ones ({@code older}), or unknown
     * ({@code not_recorded}: a result from before settings were recorded, under settings no run has had since).
     *
     * @param current the settings the configuration gives its analyzers now
     */
    public static Map<String, Object> analysis(CachedAnalysis analysis, List<AnalyzerSettings> current, ZoneId zone) {
        AnalysisRecord record = analysis.record();
        Optional<AnalyzerSettings> now = current.stream()
                .filter(settings -> settings.configHash().equals(record.configHash())).findFirst();
        String settings = analysis.settings() != null ? analysis.settings().settingsJson()
                : now.map(AnalyzerSettings::json).orElse(null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("analyzer", record.analyzer());
        out.put("config_hash", record.configHash());
        out.put("computed_at", Timestamps.local(analysis.computedAt(), zone));
        out.put("duration_ms", record.durationMs());
        out.put("settings", settings == null ? null : Json.read(settings));
        out.put("settings_state", now.isPresent() ? "current" : settings != null ? "older" : "not_recorded");
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
        if (match.why() != null) {
            out.put("score", match.score());
            out.put("weak", match.weak());
            Map<String, Object> matched = new LinkedHashMap<>();
            matched.put("fields", match.why().fields());
            matched.put("snippet", match.why().snippet());
            matched.put("transcript_start_seconds", match.why().transcriptStartSeconds());
            out.put("matched", matched);
        }
        out.putAll(assetFacts(match.asset()));
        return out;
    }

    /**
     * The facts shown with a hit, as {@code list} shows them: {@code has_audio} true or false
     * (null when unknown), {@code has_transcript} true or false, tags and mood as lists of words
     * ([] when there are none).
     */
    public static Map<String, Object> assetFacts(Map<String, Object> row) {
        Map<String, Object> asset = new LinkedHashMap<>(row);
        asset.remove("id");
        if (asset.get("has_audio") instanceof Number number) {
            asset.put("has_audio", number.intValue() != 0);
        }
        asset.put("has_transcript", asset.get("has_transcript") instanceof Number number && number.intValue() != 0);
        Object tags = asset.remove("tags_json");
        Object mood = asset.remove("mood_json");
        asset.put("paths", asset.remove("paths"));
        asset.put("tags", Json.textList(tags instanceof String text ? text : null));
        asset.put("mood", Json.textList(mood instanceof String text ? text : null));
        return asset;
    }

    /**
     * {@code show}: the asset's columns, every path, every analysis, the latest attempts, and who
     * accepted its content as good despite its integrity verdict (null when nobody did).
     *
     * @param current the settings the configuration gives its analyzers now (see {@link #analysis})
     */
    public static Map<String, Object> show(AssetDetails asset, List<AnalyzerSettings> current, Acceptance accepted,
            ZoneId zone) {
        Map<String, Object> columns = new LinkedHashMap<>(asset.columns());
        Object raw = columns.get("raw_json");
        if (raw instanceof String text) {
            columns.put("raw_json", Json.read(text));
        }
        columns.put("indexed_at", isoLocal((String) columns.get("indexed_at"), zone));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("asset", columns);
        out.put("paths", asset.paths().stream().map(row -> path(row, zone)).toList());
        out.put("analyses", asset.analyses().stream().map(analysis -> analysis(analysis, current, zone)).toList());
        out.put("integrity_accepted", acceptance(accepted, zone));
        out.put("attempts", asset.attempts().stream().map(entry -> logEntry(entry, zone)).toList());
        return out;
    }

    /** {@code show} of a file that is not indexed: why, from its attempts and what the analyzers found. */
    public static Map<String, Object> notIndexed(String path, String contentHash, List<CachedAnalysis> analyses,
            List<AnalyzerSettings> current, Acceptance accepted, List<LogEntry> attempts, ZoneId zone) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("asset", null);
        document.put("path", path);
        document.put("content_hash", contentHash);
        document.put("analyses", analyses.stream().map(analysis -> analysis(analysis, current, zone)).toList());
        document.put("integrity_accepted", acceptance(accepted, zone));
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
