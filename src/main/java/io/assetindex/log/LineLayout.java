package io.assetindex.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.assetindex.util.Text;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One event per line: {@code 2026-11-21T10:30:00.000+01:00 INFO  message}. Control characters
 * in the message are escaped, so a file name cannot forge a line. A stack trace, when kept,
 * follows with one frame per line, its messages and frames escaped the same way.
 */
final class LineLayout extends LayoutBase<ILoggingEvent> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final ZoneId zone;
    private final boolean withLevel;
    private final boolean withStackTraces;

    /**
     * @param withLevel       start with the time and level (log files) or not (terminal)
     * @param withStackTraces append stack traces (watcher.err.log) or drop them
     */
    LineLayout(ZoneId zone, boolean withLevel, boolean withStackTraces) {
        this.zone = zone;
        this.withLevel = withLevel;
        this.withStackTraces = withStackTraces;
    }

    /** A started encoder that writes events with this layout. */
    LayoutWrappingEncoder<ILoggingEvent> startedEncoder(Context context) {
        setContext(context);
        start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(this);
        encoder.start();
        return encoder;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder line = new StringBuilder(128);
        if (withLevel) {
            TIME.formatTo(Instant.ofEpochMilli(event.getTimeStamp()).atZone(zone), line);
            String level = event.getLevel().toString();
            line.append(' ').append(level).append(" ".repeat(Math.max(1, 6 - level.length())));
        }
        line.append(Text.escapeControls(event.getFormattedMessage())).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (withStackTraces && thrown != null) {
            line.append(EscapedThrowable.asString(thrown)).append(CoreConstants.LINE_SEPARATOR);
        }
        return line.toString();
    }
}
