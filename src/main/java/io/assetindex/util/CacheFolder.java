package io.assetindex.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where native libraries and tools shipped in the jar are extracted: the user's cache folder
 * ({@code ~/.cache/asset-index}, or {@code ~/Library/Caches/asset-index} on macOS) if it can
 * be written, else the workspace's {@code .asset_index/cache}, which is what a sandboxed
 * service with a read-only home gets. Extraction happens once per version.
 */
public final class CacheFolder {
    private CacheFolder() {}

    public static Path choose(Path fallback) {
        String home = System.getProperty("user.home", "");
        boolean mac = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("mac");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path user = mac ? Path.of(home, "Library", "Caches", "asset-index")
                : xdg != null && !xdg.isBlank() ? Path.of(xdg, "asset-index") : Path.of(home, ".cache", "asset-index");
        return writable(user) ? user : fallback;
    }

    private static boolean writable(Path folder) {
        try {
            Files.createDirectories(folder);
            Path probe = Files.createFile(SafeFiles.tempSibling(folder.resolve("write-check"), "probe"));
            Files.delete(probe);
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
