package io.assetindex.media;

import io.assetindex.config.MediaSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import io.assetindex.util.CacheFolder;
import org.bytedeco.javacpp.Loader;

/**
 * Where ffprobe and ffmpeg are: the configured system ones, or the ones bundled in the jar
 * (FFmpeg built by JavaCPP), extracted on first use into a cache folder and reused after.
 *
 * <p>The cache folder is {@code org.bytedeco.javacpp.cachedir} if set, else the user's cache
 * folder ({@code ~/.cache/asset-index} or {@code ~/Library/Caches/asset-index}) if it can be
 * written, else {@code .asset_index/cache} of the workspace, which is what a sandboxed service
 * (read-only home) gets. Extraction happens once per jar version (about 65 MB).
 */
public final class MediaTools {
    private static final String CACHE_PROPERTY = "org.bytedeco.javacpp.cachedir";

    private final MediaSettings settings;
    private final Path fallbackCache;
    private volatile Path ffprobe;
    private volatile Path ffmpeg;

    /**
     * @param fallbackCache where to extract the bundled tools when the user's cache folder is not writable
     */
    public MediaTools(MediaSettings settings, Path fallbackCache) {
        this.settings = settings;
        this.fallbackCache = fallbackCache;
    }

    public Path ffprobe() throws IOException {
        Path path = ffprobe;
        if (path == null) {
            path = settings.ffprobePath() != null ? settings.ffprobePath() : bundled(org.bytedeco.ffmpeg.ffprobe.class);
            ffprobe = path;
        }
        return path;
    }

    public Path ffmpeg() throws IOException {
        Path path = ffmpeg;
        if (path == null) {
            path = settings.ffmpegPath() != null ? settings.ffmpegPath() : bundled(org.bytedeco.ffmpeg.ffmpeg.class);
            ffmpeg = path;
        }
        return path;
    }

    /**
     * A time limit for a tool reading a file of this size: 30 s, plus 10 s per GiB (a 50 GiB
     * video gets a bit over 8 minutes). A file that takes longer is treated as damaged.
     */
    public static Duration limitFor(long sizeBytes) {
        return Duration.ofSeconds(30).plusMillis(sizeBytes / (100L << 20) * 1000);
    }

    private synchronized Path bundled(Class<?> tool) throws IOException {
        if (System.getProperty(CACHE_PROPERTY) == null) {
            System.setProperty(CACHE_PROPERTY, CacheFolder.choose(fallbackCache).toString());
        }
        try {
            String path = Loader.load(tool);
            if (path == null) {
                throw new IOException("the bundled " + tool.getSimpleName() + " is missing from the jar");
            }
            return Path.of(path);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new IOException("cannot extract the bundled " + tool.getSimpleName() + " for "
                    + Loader.getPlatform() + " (" + e.getMessage() + "); set media." + tool.getSimpleName()
                    + "_path to a system one", e);
        }
    }
}
