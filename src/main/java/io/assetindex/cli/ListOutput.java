package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How {@code list} prints a page for people, from its JSON document: search's table without the
 * distance, plus the value it is sorted by when no other column shows it, then one line with
 * the count and order, and one line per facet.
 */
final class ListOutput {
    private static final int SUMMARY_CHARS = 100;
    /** Where the sort's value goes: just before the path. */
    private static final int KEY_COLUMN = 4;
    /** The 10 largest jobs and tags are shown; the JSON has every job and the 30 largest tags. */
    private static final int MOST_SHOWN = 10;
    private static final List<FacetLine> FACET_LINES = List.of(new FacetLine("media_type", "types", Integer.MAX_VALUE),
            new FacetLine("root", "roots", Integer.MAX_VALUE), new FacetLine("job", "jobs", MOST_SHOWN),
            new FacetLine("tag", "tags", MOST_SHOWN));

    /** A facet of the document ({@code key}), the word its line starts with, and how many values it shows. */
    private record FacetLine(String key, String label, int shown) {}

    private ListOutput() {}

    static void print(PrintWriter out, JsonNode page, ZoneId zone) {
        String sort = Output.text(page, "sort");
        JsonNode results = page.path("results");
        if (!results.isEmpty()) {
            String key = keyHeader(sort);
            List<String> header = new ArrayList<>(List.of("#", "TYPE", "SIZE", "DURATION", "PATH"));
            if (key != null) {
                header.add(KEY_COLUMN, key);
            }
            Table table = Table.withHeader(header.toArray(String[]::new));
            for (JsonNode asset : results) {
                add(table, asset, key == null ? null : keyValue(sort, asset, zone), key != null);
            }
            table.print(out, "");
        }
        long total = page.path("total").asLong();
        String past = results.isEmpty() && total > 0
                ? "; --offset " + page.path("offset").asLong() + " is past the last" : "";
        out.println(results.size() + " of " + total + " assets (sorted by " + sort + past + ")");
        printFacets(out, page.path("facets"));
    }

    /** One line per facet that has values, under the count: {@code types: image 70, video 20}, "..." when cut. */
    private static void printFacets(PrintWriter out, JsonNode facets) {
        for (FacetLine line : FACET_LINES) {
            List<String> values = new ArrayList<>();
            for (JsonNode count : facets.path(line.key())) {
                if (values.size() == line.shown()) {
                    values.add("...");
                    break;
                }
                values.add(Text.escapeControls(count.path("value").asText()) + " " + count.path("count").asLong());
            }
            if (!values.isEmpty()) {
                out.println(line.label() + ": " + String.join(", ", values));
            }
        }
    }

    private static void add(Table table, JsonNode asset, String key, boolean keyed) {
        List<String> paths = new ArrayList<>();
        asset.path("paths").forEach(path -> paths.add(path.asText()));
        JsonNode width = asset.path("width");
        JsonNode duration = asset.path("duration_seconds");
        row(table, keyed, key, asset.path("rank").asLong(), Output.text(asset, "media_type"),
                width.isNumber() ? width.asLong() + "x" + asset.path("height").asLong() : null,
                duration.isNumber() ? String.format(Locale.ROOT, "%.1f s", duration.asDouble()) : null,
                paths.isEmpty() ? null : paths.get(0));
        for (String other : paths.subList(Math.min(1, paths.size()), paths.size())) {
            row(table, keyed, "", "", "", "", "", other);
        }
        String summary = Output.text(asset, "summary");
        if (summary != null && !summary.isBlank()) {
            // What an AI model saw, under the path, as search shows it.
            row(table, keyed, "", "", "", "", "", "  " + Text.ellipsize(summary.strip(), SUMMARY_CHARS));
        }
    }

    /** Adds a row, with the key cell before the path when the table has that column. */
    private static void row(Table table, boolean keyed, Object key, Object... cells) {
        List<Object> row = new ArrayList<>(Arrays.asList(cells));
        if (keyed) {
            row.add(KEY_COLUMN, key);
        }
        table.add(row.toArray());
    }

    /** The header of the column showing the sort's value, or null when another column shows it. */
    private static String keyHeader(String sort) {
        return switch (sort == null ? "" : sort) {
            case "newest", "oldest" -> "INDEXED";
            case "captured" -> "CAPTURED";
            case "size" -> "BYTES";
            default -> null;
        };
    }

    private static String keyValue(String sort, JsonNode asset, ZoneId zone) {
        return switch (sort) {
            case "newest", "oldest" -> Output.time(Output.text(asset, "indexed_at"), zone);
            case "captured" -> Output.text(asset, "captured_at");
            case "size" -> Text.bytes(asset.path("size_bytes").asLong());
            default -> null;
        };
    }
}
