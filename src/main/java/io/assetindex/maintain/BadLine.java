package io.assetindex.maintain;

import io.assetindex.util.Text;

/**
 * A line of an import file the index could not use. The message names the field (a path such as
 * {@code asset.tags_json} or {@code paths[0].size_bytes}, none for the line as a whole) and what
 * is wrong with it, on one line; the reader adds the file and the line number.
 */
final class BadLine extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param field   null for the whole line
     * @param problem control characters in it (quoted from the file) are escaped
     */
    BadLine(String field, String problem) {
        super(Text.escapeControls(field == null ? problem : field + ": " + problem), null, false, false);
    }
}
