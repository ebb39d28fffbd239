package io.assetindex.util;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %safemsg}: the log message with control characters escaped, so every event is one line. */
public final class EscapedMessageConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return Text.escapeControls(event.getFormattedMessage());
    }
}
