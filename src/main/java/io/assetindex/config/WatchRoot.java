package io.assetindex.config;

import java.nio.file.Path;

/**
 * One configured watch path.
 *
 * @param name     the path as configured (relative to the workspace, or absolute); stored as
 *                 {@code source_root} so an index stays valid when the workspace moves
 * @param dir      the absolute, normalized folder
 * @param jobsRoot whether the first folder below this root is a job id
 */
public record WatchRoot(String name, Path dir, boolean jobsRoot) {

    /** The job id of a file at {@code relativePath} below this root, or null. */
    public String jobIdFor(Path relativePath) {
        if (!jobsRoot || relativePath.getNameCount() < 2) {
            return null;
        }
        return relativePath.getName(0).toString();
    }

    /** How a file below this root is shown in logs, process_log and state.json. */
    public String displayPath(String relativeName) {
        return displayPath(name, relativeName);
    }

    /**
     * The display path of a file from its stored root and relative path: relative to the
     * workspace when the root is inside it, else absolute.
     */
    public static String displayPath(String sourceRoot, String relativeName) {
        return ".".equals(sourceRoot) ? relativeName : sourceRoot + "/" + relativeName;
    }

    /** The path of {@code file} relative to this root, in the portable form stored in the index. */
    public String relativeName(Path file) {
        return portable(dir.relativize(file));
    }

    /** A relative path with "/" separators whatever the platform, as stored in the index. */
    public static String portable(Path relative) {
        return relative.toString().replace(relative.getFileSystem().getSeparator(), "/");
    }
}
