package io.assetindex.scan;

import io.assetindex.MediaType;
import io.assetindex.config.MediaExtensions;
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
        return extensionOf(relPath).map(mediaTypeByExtension::get).filter(type -> !isExcluded(relPath));
    }

    /**
     * The extension of a file skipped only because the config does not list it: empty for media,
     * for files skipped on purpose (hidden, ignored, partial downloads, lock files), and for names
     * without an extension the config could list (README, "notes.final draft"), which are not
     * media files anyone forgot.
     */
    public Optional<String> unlistedExtension(Path relPath) {
        return extensionOf(relPath).filter(extension -> !mediaTypeByExtension.containsKey(extension)
                && MediaExtensions.valid(extension) && !isExcluded(relPath));
    }

    /** The lower-case extension of a file that may be media: none for lock files, partial downloads and bare names. */
    private static Optional<String> extensionOf(Path relPath) {
        String name = relPath.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (name.startsWith("~$") || dot <= 0) {
            return Optional.empty();
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return PARTIAL_EXTENSIONS.contains(extension) ? Optional.empty() : Optional.of(extension);
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
