package io.assetindex.scan;

import io.assetindex.MediaType;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides which paths below a watch root are indexed: media extensions only; never hidden
 * files or folders (any path component starting with "."), partial downloads or editor
 * lock files; never what an ignore glob matches. A glob without "/" matches any single
 * file or folder name (like .gitignore); a glob with "/" matches the path relative to the
 * root, or one of its parent folders.
 */
public final class MediaFilter {
    /** Extensions browsers and download tools give files still being written. */
    private static final Set<String> PARTIAL_EXTENSIONS =
            Set.of("part", "partial", "crdownload", "download", "tmp", "temp", "opdownload", "!ut", "!qb");

    private final Map<String, MediaType> mediaTypeByExtension;
    private final List<PathMatcher> nameGlobs = new ArrayList<>();
    private final List<PathMatcher> pathGlobs = new ArrayList<>();

    public MediaFilter(Map<String, MediaType> mediaTypeByExtension, List<String> ignoreGlobs) {
        this.mediaTypeByExtension = Map.copyOf(mediaTypeByExtension);
        for (String glob : ignoreGlobs) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            (glob.contains("/") ? pathGlobs : nameGlobs).add(matcher);
        }
    }

    /** The media type to index a file as, or empty when the file is skipped. */
    public Optional<MediaType> mediaTypeOf(Path relPath) {
        String name = relPath.getFileName().toString();
        if (name.startsWith("~$")) {
            return Optional.empty();
        }
        int dot = name.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (PARTIAL_EXTENSIONS.contains(extension)) {
            return Optional.empty();
        }
        MediaType type = mediaTypeByExtension.get(extension);
        if (type == null || isExcluded(relPath)) {
            return Optional.empty();
        }
        return Optional.of(type);
    }

    /** Whether a folder (relative to its root) and everything below it is skipped. */
    public boolean skipsDirectory(Path relPath) {
        return relPath.getNameCount() > 0 && !relPath.toString().isEmpty() && isExcluded(relPath);
    }

    /** Hidden, or matched by an ignore glob, at any level. */
    private boolean isExcluded(Path relPath) {
        for (int depth = 1; depth <= relPath.getNameCount(); depth++) {
            Path prefix = relPath.subpath(0, depth);
            Path name = prefix.getFileName();
            if (name.toString().startsWith(".") || matchesAny(nameGlobs, name) || matchesAny(pathGlobs, prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesAny(List<PathMatcher> matchers, Path path) {
        for (PathMatcher matcher : matchers) {
            if (matcher.matches(path)) {
                return true;
            }
        }
        return false;
    }
}
