package io.assetindex.config;

import io.assetindex.MediaType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The effective configuration: validated once at start-up, immutable, passed down.
 *
 * @param watchRoots            folders to index, deepest-first is not implied; see {@code scan}
 * @param debounceSeconds       quiet time before a changed file is processed
 * @param debounceMaxSeconds    longest wait for a file that keeps changing
 * @param pollPaths             names of the watch roots that are rescanned instead of watched
 * @param pollIntervalSeconds   time between rescans of a polled root
 * @param maxPendingPaths       changed paths the watcher holds before collapsing them into folder rescans
 * @param ignoreGlobs           extra globs to skip (see config/asset-index.yaml)
 * @param workers               files processed in parallel (already resolved, at least 1)
 * @param mediaTypeByExtension  lower-case extension without dot to media type
 * @param media                 how media is analyzed
 * @param embedding             which model embeds assets for search
 * @param ai                    which models describe and transcribe assets (AI enrichment), if any
 * @param logMaxFileBytes       size at which a log file rolls over
 * @param logKeepFiles          rolled log files kept per log
 * @param processLogRetentionDays days of process_log kept by {@code prune}; 0 keeps every row
 * @param server                  the HTTP API: served or not, where, and the token's variable
 * @param database                where the index lives (SQLite in the workspace, or PostgreSQL)
 * @param integrity               checker messages that are not damage
 * @param verify                  the watcher's scheduled re-verification of indexed files
 * @param hostName                which machine this is: the paths it records and the watch paths it owns are its own
 */
public record AppConfig(
        Workspace workspace,
        List<WatchRoot> watchRoots,
        double debounceSeconds,
        double debounceMaxSeconds,
        List<String> pollPaths,
        double pollIntervalSeconds,
        int maxPendingPaths,
        List<String> ignoreGlobs,
        int workers,
        Map<String, MediaType> mediaTypeByExtension,
        MediaSettings media,
        EmbeddingSettings embedding,
        AiSettings ai,
        long logMaxFileBytes,
        int logKeepFiles,
        int processLogRetentionDays,
        ServerSettings server,
        DatabaseSettings database,
        IntegrityRules integrity,
        VerifySettings verify,
        String hostName) {

    public AppConfig {
        watchRoots = List.copyOf(watchRoots);
        pollPaths = List.copyOf(pollPaths);
        ignoreGlobs = List.copyOf(ignoreGlobs);
        mediaTypeByExtension = Map.copyOf(mediaTypeByExtension);
    }

    /** The watch path a file or folder belongs to: the deepest one containing it (nested ones own their files). */
    public Optional<WatchRoot> rootContaining(Path path) {
        return watchRoots.stream().filter(root -> path.startsWith(root.dir()))
                .max(Comparator.comparingInt(root -> root.dir().getNameCount()));
    }

    /** A copy with other watch roots, for commands given explicit paths. */
    public AppConfig withWatchRoots(List<WatchRoot> roots) {
        return new AppConfig(workspace, roots, debounceSeconds, debounceMaxSeconds, pollPaths, pollIntervalSeconds,
                maxPendingPaths, ignoreGlobs, workers, mediaTypeByExtension, media, embedding, ai, logMaxFileBytes,
                logKeepFiles, processLogRetentionDays, server, database, integrity, verify, hostName);
    }

    /** A readable summary for the log. Holds no secrets; when keys are added, mask them here. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("workspace", workspace.root().toString());
        out.put("host_name", hostName);
        out.put("watch_paths", watchRoots.stream().map(WatchRoot::name).toList());
        out.put("jobs_roots", watchRoots.stream().filter(WatchRoot::jobsRoot).map(WatchRoot::name).toList());
        out.put("debounce_seconds", debounceSeconds);
        out.put("debounce_max_seconds", debounceMaxSeconds);
        out.put("poll_paths", pollPaths);
        out.put("poll_interval_seconds", pollIntervalSeconds);
        out.put("max_pending_paths", maxPendingPaths);
        out.put("ignore", ignoreGlobs);
        out.put("workers", workers);
        out.put("process_log_retention_days", processLogRetentionDays);
        out.put("server", server.enabled() ? server.address() + ":" + server.port()
                + (server.tokenEnv() == null ? "" : ", token in $" + server.tokenEnv()) : "off");
        out.put("database", database.describe());
        Map<String, List<String>> extensions = new TreeMap<>();
        mediaTypeByExtension.forEach((extension, type) ->
                extensions.computeIfAbsent(type.id(), t -> new ArrayList<>()).add(extension));
        extensions.values().forEach(Collections::sort);
        out.put("extensions", extensions);
        Map<String, Object> embeddingShown = new TreeMap<>(embedding.identity());
        embeddingShown.put("api_key_env", embedding.apiKeyEnv()); // the variable's name, never its value
        out.put("embedding", embeddingShown);
        Map<String, Object> aiShown = new LinkedHashMap<>();
        aiShown.put("describe", ai.describe() == null ? "off" : ai.describe().model() + " at " + ai.describe().baseUrl());
        aiShown.put("transcribe", ai.transcribe() == null ? "off"
                : ai.transcribe().model() + " at " + ai.transcribe().baseUrl());
        out.put("ai", aiShown);
        out.put("media", Map.of("ffprobe", media.ffprobePath() == null ? "bundled" : media.ffprobePath().toString(),
                "ffmpeg", media.ffmpegPath() == null ? "bundled" : media.ffmpegPath().toString(),
                "integrity_deep", media.integrityDeep(), "thumbnail_size", media.thumbnailSize()));
        out.put("integrity", Map.of("ignore_patterns", integrity.ignoreRules().size()));
        out.put("verify", verify.enabled() ? "every " + verify.everyDays() + " days"
                + (verify.maxMbPerSecond() > 0 ? ", at most " + verify.maxMbPerSecond() + " MB/s" : "") : "off");
        return out;
    }
}
