package io.assetindex.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.ThumbnailAnalyzer;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.AssetDetails;
import io.assetindex.store.CachedAnalysis;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The files the API serves, reached by asset id only, never by a path from the request: an
 * asset's thumbnail (a file under {@code .asset_index/thumbs/}), and its original bytes from a
 * live path. A path is served only when it lies under its configured watch path once every link
 * is resolved, is a regular file, and still has the size and mtime recorded with the content
 * (else the bytes there may be another file's now); the paths the index records are resolved
 * against today's watch paths, not taken as they are stored. Only this host's paths are served
 * (config {@code host_name}): another machine's path names a file on its disk, not on this one.
 */
final class MediaFiles {
    /** A file to send: where it is, its entity tag, what it is, how long it is. */
    record Served(Path file, String etag, String contentType, long length) {}

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("tif", "image/tiff"),
            Map.entry("tiff", "image/tiff"), Map.entry("heic", "image/heic"), Map.entry("heif", "image/heif"),
            Map.entry("avif", "image/avif"), Map.entry("bmp", "image/bmp"), Map.entry("mp4", "video/mp4"),
            Map.entry("m4v", "video/mp4"), Map.entry("mov", "video/quicktime"), Map.entry("mkv", "video/x-matroska"),
            Map.entry("webm", "video/webm"), Map.entry("avi", "video/x-msvideo"), Map.entry("mp3", "audio/mpeg"),
            Map.entry("wav", "audio/wav"), Map.entry("flac", "audio/flac"), Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("ogg", "audio/ogg"), Map.entry("oga", "audio/ogg"),
            Map.entry("opus", "audio/ogg"), Map.entry("mxf", "application/mxf"), Map.entry("mts", "video/mp2t"),
            Map.entry("m2ts", "video/mp2t"), Map.entry("ts", "video/mp2t"), Map.entry("mpg", "video/mpeg"),
            Map.entry("mpeg", "video/mpeg"), Map.entry("vob", "video/mpeg"), Map.entry("dv", "video/x-dv"),
            Map.entry("wmv", "video/x-ms-wmv"), Map.entry("flv", "video/x-flv"), Map.entry("3gp", "video/3gpp"),
            Map.entry("aif", "audio/aiff"), Map.entry("aiff", "audio/aiff"), Map.entry("aifc", "audio/aiff"),
            Map.entry("caf", "audio/x-caf"), Map.entry("wma", "audio/x-ms-wma"), Map.entry("ac3", "audio/ac3"));

    private final AppConfig config;

    MediaFiles(AppConfig config) {
        this.config = config;
    }

    /** The asset's newest thumbnail whose file is there, if it has one. */
    Optional<Served> thumbnail(AssetDetails asset) {
        Path thumbs = config.workspace().dataDir().resolve(ThumbnailAnalyzer.FOLDER);
        for (AnalysisRecord analysis : asset.analyses().stream()
                .sorted(Comparator.comparing(CachedAnalysis::computedAt).reversed()).map(CachedAnalysis::record).toList()) {
            if (!analysis.analyzer().equals(ThumbnailAnalyzer.NAME)) {
                continue;
            }
            JsonNode result = Json.read(analysis.resultJson());
            String path = result.path("path").asText("");
            String hash = result.path("sha256").asText("");
            if (path.isEmpty() || !hash.matches("[0-9a-f]{64}")) {
                continue;
            }
            Path file = config.workspace().dataDir().resolve(path).normalize();
            Optional<Long> length = regularFileUnder(file, thumbs);
            if (length.isPresent()) {
                return Optional.of(new Served(file, hash, "image/jpeg", length.get()));
            }
        }
        return Optional.empty();
    }

    /** A live path of this host that holds the content now, under its watch path. */
    Optional<Served> original(AssetDetails asset) {
        for (Map<String, Object> path : asset.paths()) {
            if (path.get("deleted_at") != null || !config.hostName().equals(path.get("host"))) {
                continue;
            }
            Optional<WatchRoot> root = config.watchRoots().stream()
                    .filter(r -> r.name().equals(path.get("source_root"))).findFirst();
            String relPath = (String) path.get("rel_path");
            if (root.isEmpty() || relPath == null) {
                continue;
            }
            Path file = root.get().dir().resolve(relPath).normalize();
            if (!file.startsWith(root.get().dir()) || !unchanged(file, path) || regularFileUnder(file,
                    root.get().dir()).isEmpty()) {
                continue;
            }
            return Optional.of(new Served(file, asset.id(), contentType(relPath), ((Number) path.get("size_bytes"))
                    .longValue()));
        }
        return Optional.empty();
    }

    /** The file still has the size and mtime recorded with the content. */
    private static boolean unchanged(Path file, Map<String, Object> recorded) {
        try {
            BasicFileAttributes stat = Files.readAttributes(file, BasicFileAttributes.class);
            return stat.size() == ((Number) recorded.get("size_bytes")).longValue()
                    && stat.lastModifiedTime().to(TimeUnit.NANOSECONDS) == ((Number) recorded.get("mtime_ns")).longValue();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The file's size, when it is a regular file whose real path (links resolved) is under the folder's. */
    private static Optional<Long> regularFileUnder(Path file, Path folder) {
        try {
            Path real = file.toRealPath();
            if (!real.startsWith(folder.toRealPath()) || !Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.empty();
            }
            return Optional.of(Files.size(real));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The hosts other than this one that have a live path of the asset, in order. */
    java.util.List<String> otherHosts(AssetDetails asset) {
        return asset.paths().stream().filter(path -> path.get("deleted_at") == null)
                .map(path -> (String) path.get("host"))
                .filter(host -> host != null && !host.equals(config.hostName())).distinct().sorted().toList();
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return TYPES.getOrDefault(extension, "application/octet-stream");
    }
}
