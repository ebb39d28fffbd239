package io.assetindex.util;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Timestamps as text. The database stores UTC with a fixed width (milliseconds, {@code Z}),
 * so that text order is time order; people see local time with its offset.
 */
public final class Timestamps {
    private static final DateTimeFormatter STORED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private Timestamps() {}

    /** UTC, fixed width, sortable as text: {@code 2026-11-21T09:30:00.000Z}. */
    public static String stored(Instant instant) {
        return STORED.format(instant);
    }

    /** ISO-8601 with the local offset: {@code 2026-11-21T10:30:00.000+01:00}. */
    public static String local(Instant instant, ZoneId zone) {
        return LOCAL.format(OffsetDateTime.ofInstant(instant, zone));
    }

    public static Instant parse(String text) {
        return OffsetDateTime.parse(text).toInstant();
    }
}
