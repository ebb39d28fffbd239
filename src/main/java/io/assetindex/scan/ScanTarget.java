package io.assetindex.scan;

import io.assetindex.config.WatchRoot;
import java.nio.file.Path;

/** A watch root, or a folder or file below it, to scan. {@code start} is absolute and normalized. */
public record ScanTarget(WatchRoot root, Path start) {

    public static ScanTarget wholeRoot(WatchRoot root) {
        return new ScanTarget(root, root.dir());
    }

    /** As people see it: the watch path's name, or the folder or file below it as the log shows it. */
    public String shown() {
        return start.equals(root.dir()) ? root.name() : root.displayPath(root.relativeName(start));
    }

    /** The relative-path prefix of everything below {@code start}: "" for the whole root, else ending in "/". */
    public String relPrefix() {
        if (start.equals(root.dir())) {
            return "";
        }
        return WatchRoot.portable(root.dir().relativize(start)) + "/";
    }
}
