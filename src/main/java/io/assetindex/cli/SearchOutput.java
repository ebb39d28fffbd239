package io.assetindex.cli;

import io.assetindex.search.SearchService;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How {@code search} and {@code similar} print their results. */
final class SearchOutput {
    private static final int SUMMARY_CHARS = 100;

    private SearchOutput() {}

    static void print(PrintWriter out, SearchService.Results results, Map<String, Object> request, boolean json) {
        if (json) {
            Map<String, Object> document = new LinkedHashMap<>(request);
            document.put("model", results.model());
            document.put("metric", results.metric().name().toLowerCase(Locale.ROOT));
            document.put("searched", results.searched());
            document.put("results", results.matches().stream().map(SearchOutput::matchJson).toList());
            out.println(Json.pretty(document));
            return;
        }
        if (results.matches().isEmpty()) {
            out.println("no matches among " + results.searched() + " assets");
            return;
        }
        Table table = Table.withHeader("#", "DISTANCE", "TYPE", "SIZE", "DURATION", "PATH");
        for (SearchService.Match match : results.matches()) {
            Map<String, Object> asset = match.asset();
            @SuppressWarnings("unchecked")
            List<String> paths = (List<String>) asset.getOrDefault("paths", List.of());
            Object width = asset.get("width");
            Object duration = asset.get("duration_seconds");
            table.add(match.rank(), String.format(Locale.ROOT, "%.4f", match.distance()), asset.get("media_type"),
                    width == null ? null : width + "x" + asset.get("height"),
                    duration == null ? null : String.format(Locale.ROOT, "%.1f s", ((Number) duration).doubleValue()),
                    paths.isEmpty() ? null : paths.get(0));
            for (String other : paths.subList(Math.min(1, paths.size()), paths.size())) {
                table.add("", "", "", "", "", other);
            }
            if (asset.get("summary") instanceof String summary && !summary.isBlank()) {
                // What an AI model saw, under the path: the reason a result matched is often there.
                table.add("", "", "", "", "", "  " + Text.ellipsize(summary.strip(), SUMMARY_CHARS));
            }
        }
        table.print(out, "");
    }

    private static Map<String, Object> matchJson(SearchService.Match match) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rank", match.rank());
        out.put("id", match.id());
        out.put("distance", match.distance());
        Map<String, Object> asset = new LinkedHashMap<>(match.asset());
        asset.remove("id");
        for (String key : List.of("tags_json", "mood_json")) {
            Object value = asset.remove(key);
            asset.put(key.replace("_json", ""), value instanceof String text ? Json.read(text) : null);
        }
        out.putAll(asset);
        return out;
    }
}
