package io.assetindex.scan;

import io.assetindex.store.LeftOut;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts the files left out because of their extension, per extension with the first one found.
 * It keeps {@link #MAX_EXTENSIONS} extensions at most, the first ones met; files with any other
 * count together, so a tree of made-up names cannot grow it. One walk's (not thread-safe).
 */
final class LeftOutCounter {
    static final int MAX_EXTENSIONS = 50;

    private final Map<String, LeftOut.Extension> byExtension = new HashMap<>();
    private long otherFiles;

    /** One file left out: its extension and how it is shown. */
    void add(String extension, String shownPath) {
        add(extension, 1, shownPath);
    }

    /** Another walk's count, added to this one. */
    void addAll(LeftOut leftOut) {
        leftOut.byExtension().forEach((extension, files) -> add(extension, files.files(), files.example()));
        otherFiles += leftOut.otherFiles();
    }

    private void add(String extension, long files, String example) {
        LeftOut.Extension counted = byExtension.get(extension);
        if (counted != null) {
            byExtension.put(extension, new LeftOut.Extension(counted.files() + files, counted.example()));
        } else if (byExtension.size() < MAX_EXTENSIONS) {
            byExtension.put(extension, new LeftOut.Extension(files, example));
        } else {
            otherFiles += files;
        }
    }

    /** The count, most files first (then by extension). */
    LeftOut result() {
        Map<String, LeftOut.Extension> sorted = new LinkedHashMap<>();
        byExtension.entrySet().stream()
                .sorted(Comparator.comparingLong((Map.Entry<String, LeftOut.Extension> e) -> -e.getValue().files())
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new LeftOut(sorted, otherFiles);
    }
}
