package io.assetindex.store;

import java.util.Optional;

/**
 * A folder below a watch path as the index stores paths: its names joined by "/", relative to the
 * watch path, "" for the watch path itself. Checked before it reaches SQL so that a folder names
 * one place: no "..", ".", empty names, leading "/", backslash or NUL. It is matched as a range of
 * {@code rel_path} (see {@link #prefix}), never with LIKE or GLOB, so "%", "_" and "[" in names
 * are plain characters.
 */
public final class RelativeFolder {
    /** What a folder given without its watch path is told, after its name. */
    public static final String NEEDS_ROOT = "needs a root: the watch path the folder is in";

    private RelativeFolder() {}

    /** What is wrong with {@code folder} as a folder below a watch path, said as "must …"; empty when nothing is. */
    public static Optional<String> problem(String folder) {
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        if (folder.indexOf('\0') >= 0) {
            return Optional.of("must not contain a NUL character");
        }
        if (folder.indexOf('\\') >= 0) {
            return Optional.of("must separate folders with '/', not '\\'");
        }
        if (folder.startsWith("/")) {
            return Optional.of("must be relative to its watch path, not start with '/'");
        }
        for (String name : folder.split("/", -1)) {
            if (name.isEmpty()) {
                return Optional.of("must not have empty names ('//', or '/' at the end)");
            }
            if (name.equals(".") || name.equals("..")) {
                return Optional.of("must not have '.' or '..' in it");
            }
        }
        return Optional.empty();
    }

    /** The start of every {@code rel_path} under the folder: "" for the watch path itself, else the folder and "/". */
    static String prefix(String folder) {
        return folder.isEmpty() ? "" : folder + "/";
    }
}
