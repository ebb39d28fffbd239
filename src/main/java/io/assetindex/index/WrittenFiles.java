package io.assetindex.index;

import io.assetindex.util.SafeFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The files analyzers wrote for one file (its thumbnail) and named in their results. They are
 * written by rename, so a killed process leaves each whole or absent, but not synced: syncing is
 * left to the indexer, which does it outside its turn (the waits of many files overlap, and the
 * disk merges them) and before it records the results that name the files. A power cut therefore
 * never leaves an index that names a file whose bytes are not on the disk.
 */
final class WrittenFiles {
    /** Scratch key of the list of files written. */
    private static final String KEY = "written_files";

    private WrittenFiles() {}

    /** Notes that {@code file} was written (or found already there) for the file under analysis. */
    @SuppressWarnings("unchecked")
    static void add(AnalysisInput input, Path file) {
        ((List<Path>) input.scratch().computeIfAbsent(KEY, key -> new ArrayList<Path>())).add(file);
    }

    /** Whether any file was noted in {@code scratch}. */
    static boolean any(Map<String, Object> scratch) {
        return scratch.containsKey(KEY);
    }

    /** Makes every file noted in {@code scratch} durable: its bytes, then its name in its folder. */
    @SuppressWarnings("unchecked")
    static void sync(Map<String, Object> scratch) throws IOException {
        for (Path file : (List<Path>) scratch.getOrDefault(KEY, List.of())) {
            SafeFiles.sync(file);
        }
    }
}
