package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Reading the documents the commands print from: text fields, and times shown in this machine's zone. */
final class Output {
    private static final DateTimeFormatter HUMAN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Output() {}

    /** A text field, or null when it is absent or null. */
    static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        return value.isNull() || value.isMissingNode() ? null : value.asText();
    }

    /** An ISO-8601 time with offset (as documents hold them) for tables: {@code 2026-11-21 10:30:00}, local. */
    static String time(String iso, ZoneId zone) {
        OffsetDateTime time = parse(iso);
        return time == null ? iso : HUMAN_TIME.format(time.atZoneSameInstant(zone));
    }

    /** An ISO-8601 time with offset, in this machine's zone, still ISO-8601 (as {@code show} and {@code status} print). */
    static String isoLocal(String iso, ZoneId zone) {
        OffsetDateTime time = parse(iso);
        return time == null ? iso : io.assetindex.util.Timestamps.local(time.toInstant(), zone);
    }

    private static OffsetDateTime parse(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
