package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.util.Locale;

/** How {@code search} and {@code similar} print their results, from the result document. */
final class SearchOutput {
    private static final int SUMMARY_CHARS = 100;

    private SearchOutput() {}

    static void print(PrintWriter out, JsonNode document, boolean json) {
        if (json) {
            out.println(Json.pretty(document));
            return;
        }
        JsonNode results = document.path("results");
        if (results.isEmpty()) {
            out.println("no matches among " + document.path("searched").asLong() + " assets");
            return;
        }
        Table table = Table.withHeader("#", "DISTANCE", "TYPE", "SIZE", "DURATION", "PATH");
        for (JsonNode match : results) {
            JsonNode paths = match.path("paths");
            table.add(match.path("rank").asInt(), String.format(Locale.ROOT, "%.4f", match.path("distance").asDouble()),
                    Output.text(match, "media_type"), size(match), duration(match),
                    paths.isEmpty() ? null : paths.get(0).asText());
            for (int i = 1; i < paths.size(); i++) {
                table.add("", "", "", "", "", paths.get(i).asText());
            }
            String summary = Output.text(match, "summary");
            if (summary != null && !summary.isBlank()) {
                // What an AI model saw, under the path: the reason a result matched is often there.
                table.add("", "", "", "", "", "  " + Text.ellipsize(summary.strip(), SUMMARY_CHARS));
            }
        }
        table.print(out, "");
    }

    static String size(JsonNode asset) {
        return asset.path("width").isNumber() ? asset.get("width").asLong() + "x" + asset.path("height").asLong() : null;
    }

    static String duration(JsonNode asset) {
        return asset.path("duration_seconds").isNumber()
                ? String.format(Locale.ROOT, "%.1f s", asset.get("duration_seconds").asDouble()) : null;
    }
}
