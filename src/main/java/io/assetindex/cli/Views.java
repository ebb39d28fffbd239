package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.util.Json;
import io.assetindex.util.Text;
import java.nio.file.Path;
import java.time.ZoneId;

/** How parts of the documents look in command output, in one place so every command shows them alike. */
final class Views {
    private static final String SHA256 = "sha256:";

    private Views() {}

    /** What an attempt (a process_log entry of a document) did, or for a failure, where and why it failed. */
    static String what(JsonNode entry) {
        String error = Output.text(entry, "error");
        if (error != null) {
            String stage = Output.text(entry, "stage");
            return stage == null ? error : stage + ": " + error;
        }
        return Output.text(entry, "detail");
    }

    /** Who accepted a content as good (an {@code accepted} object of a document), when and why. */
    static String accepted(JsonNode accepted, ZoneId zone) {
        String note = Output.text(accepted, "note");
        return "accepted as good by " + Output.text(accepted, "by") + " on " + Output.text(accepted, "host") + " at "
                + Output.time(Output.text(accepted, "at"), zone) + (note == null ? "" : ": " + Text.escapeControls(note));
    }

    /** A config hash as people compare them: its first 12 hex digits. */
    static String shortHash(String configHash) {
        if (configHash == null) {
            return null;
        }
        String hex = configHash.startsWith(SHA256) ? configHash.substring(SHA256.length()) : configHash;
        return hex.substring(0, Math.min(12, hex.length()));
    }

    /** Whether an analysis of a document was computed with the settings configured now. */
    static String settingsState(JsonNode analysis) {
        return switch (analysis.path("settings_state").asText()) {
            case "current" -> "current";
            case "older" -> "older settings";
            default -> "settings not recorded";
        };
    }

    /** Settings as {@code key=value} words ({@code version=1 size=256 quality=85}), hashes shortened; null for none. */
    static String settings(JsonNode settings) {
        if (!settings.isObject()) {
            return null;
        }
        StringBuilder words = new StringBuilder();
        settings.properties().forEach(setting -> {
            JsonNode value = setting.getValue();
            String text = !value.isTextual() ? value.toString()
                    : value.asText().startsWith(SHA256) ? SHA256 + shortHash(value.asText()) : value.asText();
            words.append(words.isEmpty() ? "" : " ").append(setting.getKey()).append('=').append(text);
        });
        return words.toString();
    }

    /**
     * One line for people about what an analyzer found (an analysis of a document): the
     * integrity verdict, where the thumbnail is, the probe's facts (without ffprobe's raw
     * output), or the result's JSON.
     */
    static String summary(JsonNode analysis, Path dataDir) {
        JsonNode result = analysis.path("result");
        String analyzer = analysis.path("analyzer").asText();
        long durationMs = analysis.path("duration_ms").asLong();
        switch (analyzer) {
            case "integrity" -> {
                String verdict = result.path("corrupt").asBoolean() ? "CORRUPT" : result.path("warning").asBoolean()
                        ? "ok, with warnings" : "ok";
                String details = result.path("details").isTextual() ? ": " + result.get("details").asText() : "";
                int ignored = result.path("ignored").size();
                return verdict + details + " (" + result.path("tool").asText("?") + " " + result.path("mode").asText("")
                        + ", " + durationMs + " ms" + (ignored == 0 ? "" : "; " + ignored + (ignored == 1 ? " error"
                        : " errors") + " made warnings by integrity.ignore_patterns") + ")";
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
                String what = analyzer.equals("describe")
                        ? result.path("pictures").asInt() + " pictures sent"
                        : result.path("transcript").isTextual()
                                ? result.get("transcript").asText().length() + " characters, language "
                                        + result.path("language").asText("?") + ", " + result.path("parts").asInt()
                                        + " part(s)"
                                : result.path("no_sound").asBoolean() ? "no sound" : "nothing said";
                return result.path("model").asText("?") + ": " + what + " (" + durationMs + " ms)";
            }
            default -> {
                ObjectNode shown = result.isObject() ? result.deepCopy() : Json.object();
                shown.remove("ffprobe");
                String text = Json.write(shown);
                return text.length() <= 400 ? text : text.substring(0, 397) + "...";
            }
        }
    }
}
