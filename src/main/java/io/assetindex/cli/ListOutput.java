package io.assetindex.cli;

import io.assetindex.store.AssetPage;
import io.assetindex.store.AssetSort;
import io.assetindex.store.ListedAsset;
import io.assetindex.util.Text;
import java.io.PrintWriter;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How {@code list} prints a page for people: search's table without the distance, plus the
 * value it is sorted by when no other column shows it, then one line with the count and order.
 */
final class ListOutput {
    private static final int SUMMARY_CHARS = 100;
    /** Where the sort's value goes: just before the path. */
    private static final int KEY_COLUMN = 4;

    private ListOutput() {}

    static void print(PrintWriter out, AssetPage page, ZoneId zone) {
        if (!page.assets().isEmpty()) {
            String key = keyHeader(page.sort());
            List<String> header = new ArrayList<>(List.of("#", "TYPE", "SIZE", "DURATION", "PATH"));
            if (key != null) {
                header.add(KEY_COLUMN, key);
            }
            Table table = Table.withHeader(header.toArray(String[]::new));
            for (int i = 0; i < page.assets().size(); i++) {
                ListedAsset asset = page.assets().get(i);
                add(table, page.rank(i), asset, key == null ? null : keyValue(page.sort(), asset, zone), key != null);
            }
            table.print(out, "");
        }
        String past = page.assets().isEmpty() && page.total() > 0
                ? "; --offset " + page.offset() + " is past the last" : "";
        out.println(page.assets().size() + " of " + page.total() + " assets (sorted by " + page.sort().id() + past + ")");
    }

    private static void add(Table table, long rank, ListedAsset asset, String key, boolean keyed) {
        List<String> paths = asset.paths();
        row(table, keyed, key, rank, asset.mediaType().id(),
                asset.width() == null ? null : asset.width() + "x" + asset.height(),
                asset.durationSeconds() == null ? null : String.format(Locale.ROOT, "%.1f s", asset.durationSeconds()),
                paths.isEmpty() ? null : paths.get(0));
        for (String other : paths.subList(Math.min(1, paths.size()), paths.size())) {
            row(table, keyed, "", "", "", "", "", other);
        }
        if (asset.summary() != null && !asset.summary().isBlank()) {
            // What an AI model saw, under the path, as search shows it.
            row(table, keyed, "", "", "", "", "", "  " + Text.ellipsize(asset.summary().strip(), SUMMARY_CHARS));
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
    private static String keyHeader(AssetSort sort) {
        return switch (sort) {
            case NEWEST, OLDEST -> "INDEXED";
            case CAPTURED -> "CAPTURED";
            case SIZE -> "BYTES";
            case NAME, DURATION -> null;
        };
    }

    private static String keyValue(AssetSort sort, ListedAsset asset, ZoneId zone) {
        return switch (sort) {
            case NEWEST, OLDEST -> Views.time(asset.indexedAt(), zone);
            case CAPTURED -> asset.capturedAt();
            case SIZE -> Text.bytes(asset.sizeBytes());
            case NAME, DURATION -> null;
        };
    }
}
