package io.assetindex.store;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files a walk did not index because the config does not list their extension (not hidden
 * files, partial downloads, lock files or ignored paths, which are skipped on purpose), per
 * lower-case extension with the first such file found.
 *
 * @param byExtension extension to its files, most files first; at most a bounded number of extensions
 * @param otherFiles  files whose extensions were not kept because that bound was reached
 */
public record LeftOut(Map<String, Extension> byExtension, long otherFiles) {
    /**
     * @param files   how many
     * @param example the path of the first one found, as the index shows paths (raw_assets/sounds/bell.oga)
     */
    public record Extension(long files, String example) {}

    public LeftOut {
        byExtension = Collections.unmodifiableMap(new LinkedHashMap<>(byExtension));
    }

    /** Every file left out. */
    public long files() {
        return otherFiles + byExtension.values().stream().mapToLong(Extension::files).sum();
    }
}
