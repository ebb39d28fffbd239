package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.store.AnalysisRecord;
import io.assetindex.store.LogEntry;
import io.assetindex.util.Json;
import io.assetindex.util.Timestamps;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** How index rows look in command output, in one place so every command shows them alike. */
final class Views {
    private static final DateTimeFormatter HUMAN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Views() {}

    /** Local time for tables: {@code 2026-11-21 10:30:00}. */
    static String time(Instant instant, ZoneId zone) {
        return instant == null ? null : HUMAN_TIME.format(instant.atZone(zone));
    }

    /** A stored UTC timestamp as local ISO-8601 with offset, for JSON. */
    static String isoLocal(String stored, ZoneId zone) {
        return stored == null ? null : Timestamps.local(Timestamps.parse(stored), zone);
    }

    /** What an attempt did, or for a failure, where and why it failed. */
    static String what(LogEntry entry) {
        if (entry.error() != null) {
            return entry.stage() == null ? entry.error() : entry.stage() + ": " + entry.error();
        }
        return entry.detail();
    }

    static Map<String, Object> logEntry(LogEntry entry, ZoneId zone) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", entry.id());
        out.put("file_path", entry.filePath());
        out.put("content_hash", entry.contentHash());
        out.put("status", entry.status().id());
        out.put("stage", entry.stage());
        out.put("error", entry.error());
        out.put("detail", entry.detail());
        out.put("duration_ms", entry.durationMs());
        out.put("ran_at", Timestamps.local(entry.ranAt(), zone));
        return out;
    }

    /**
     * One line for people about what an analyzer found: the integrity verdict, where the
     * thumbnail is, the probe's facts (without ffprobe's raw output), or the result's JSON.
     */
    static String summary(AnalysisRecord record, Path dataDir) {
        JsonNode result = Json.read(record.resultJson());
        switch (record.analyzer()) {
            case "integrity" -> {
                String verdict = result.path("corrupt").asBoolean() ? "CORRUPT" : result.path("warning").asBoolean()
                        ? "ok, with warnings" : "ok";
                String details = result.path("details").isTextual() ? ": " + result.get("details").asText() : "";
                return verdict + details + " (" + result.path("tool").asText("?") + " " + result.path("mode").asText("")
                        + ", " + record.durationMs() + " ms)";
            }
            case "thumbnail" -> {
                return dataDir.resolve(result.path("path").asText("")) + " (" + result.path("thumb_width").asInt() + "x"
                        + result.path("thumb_height").asInt() + ", " + result.path("source").asText("?") + ")";
            }
            case "describe", "transcribe" -> {
                // The fields are in the asset's columns; the provider's reply is in raw_json (show --json).
                if (result.has("gave_up")) {
                    return "gave up: " + result.get("gave_up").asText() + " (asset-index requeue asks again)";
                }
                String what = record.analyzer().equals("describe")
                        ? result.path("pictures").asInt() + " pictures sent"
                        : result.path("transcript").isTextual()
                                ? result.get("transcript").asText().length() + " characters, language "
                                        + result.path("language").asText("?") + ", " + result.path("parts").asInt()
                                        + " part(s)"
                                : result.path("no_sound").asBoolean() ? "no sound" : "nothing said";
                return result.path("model").asText("?") + ": " + what + " (" + record.durationMs() + " ms)";
            }
            default -> {
                ObjectNode shown = result.deepCopy();
                shown.remove("ffprobe");
                String text = Json.write(shown);
                return text.length() <= 400 ? text : text.substring(0, 397) + "...";
            }
        }
    }

    static Map<String, Object> analysis(AnalysisRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("analyzer", record.analyzer());
        out.put("config_hash", record.configHash());
        out.put("duration_ms", record.durationMs());
        out.put("result", Json.read(record.resultJson()));
        return out;
    }
}
