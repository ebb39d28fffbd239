package io.assetindex.config;

import java.nio.file.Path;

/**
 * How media is analyzed.
 *
 * @param ffprobePath       a system ffprobe to use, or null for the bundled one
 * @param ffmpegPath        a system ffmpeg to use, or null for the bundled one
 * @param integrityDeep     decode every frame when checking integrity (slow, finds more)
 * @param thumbnailSize     longest side of thumbnails in pixels; 0 means no thumbnails
 * @param thumbnailQuality  JPEG quality of thumbnails, 1 to 100
 */
public record MediaSettings(Path ffprobePath, Path ffmpegPath, boolean integrityDeep, int thumbnailSize,
        int thumbnailQuality) {}
