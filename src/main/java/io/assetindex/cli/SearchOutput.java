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
        boolean reasons = results.get(0).has("matched");
        Table table = Table.withHeader("#", reasons ? "MATCHED" : "DISTANCE", "TYPE", "SIZE", "DURATION", "PATH");
        for (JsonNode match : results) {
            JsonNode paths = match.path("paths");
            table.add(match.path("rank").asInt(), reasons ? matched(match)
                    : String.format(Locale.ROOT, "%.4f", match.path("distance").asDouble()),
                    Output.text(match, "media_type"), size(match), duration(match),
                    paths.isEmpty() ? null : paths.get(0).asText());
            for (int i = 1; i < paths.size(); i++) {
                table.add("", "", "", "", "", paths.get(i).asText());
            }
            String snippet = Output.text(match.path("matched"), "snippet");
            String summary = Output.text(match, "summary");
            if (snippet != null && !snippet.isBlank()) {
                table.add("", "", "", "", "", "  " + Text.ellipsize(snippet.strip(), SUMMARY_CHARS));
            }
            if (summary != null && !summary.isBlank()) {
                // What an AI model saw, under the path: the reason a result matched is often there.
                table.add("", "", "", "", "", "  " + Text.ellipsize(summary.strip(), SUMMARY_CHARS));
            }
        }
        table.print(out, "");
    }

    /** Why a search result matched: its fields (and where a word is said), its distance in meaning, weak or not. */
    private static String matched(JsonNode match) {
        JsonNode why = match.path("matched");
        StringBuilder text = new StringBuilder();
        for (JsonNode field : why.path("fields")) {
            text.append(text.length() == 0 ? "" : ",").append(field.asText());
        }
        if (why.path("transcript_start_seconds").isNumber()) {
            text.append(String.format(Locale.ROOT, " @%.1fs", why.get("transcript_start_seconds").asDouble()));
        }
        if (match.path("distance").isNumber() && text.toString().equals("meaning")) {
            text.append(String.format(Locale.ROOT, " %.3f", match.get("distance").asDouble()));
        }
        return match.path("weak").asBoolean() ? text + " (weak)" : text.toString();
    }

    static String size(JsonNode asset) {
        return asset.path("width").isNumber() ? asset.get("width").asLong() + "x" + asset.path("height").asLong() : null;
    }

    static String duration(JsonNode asset) {
        return asset.path("duration_seconds").isNumber()
                ? String.format(Locale.ROOT, "%.1f s", asset.get("duration_seconds").asDouble()) : null;
    }
}
