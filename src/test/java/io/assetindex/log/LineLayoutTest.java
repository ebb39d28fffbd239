package io.assetindex.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineLayoutTest {
    private static final String FORGED = "\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg";

    private static String layout(String message, Throwable thrown) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("watcher"), Level.ERROR, message, thrown, null);
        event.setTimeStamp(1_800_000_000_000L);
        return new LineLayout(ZoneOffset.UTC, true, true).doLayout(event);
    }

    private static Throwable thrown(String message, Throwable cause) {
        try {
            throw new IllegalStateException(message, cause);
        } catch (IllegalStateException e) {
            return e;
        }
    }

    @Test
    void aStackTraceCannotForgeALogLineAndKeepsOneFramePerLine() {
        IOException cause = new IOException("cannot open raw_assets/a" + FORGED + ".jpg\r\nERROR forged too");
        Throwable thrown = thrown("analyzer crashed on raw_assets/a" + FORGED + ".jpg", cause);
        thrown.addSuppressed(new IOException("closing raw_assets/a" + FORGED + ".jpg"));

        List<String> lines = layout("[probe] analyzer crashed on raw_assets/a" + FORGED + ".jpg", thrown).lines().toList();

        assertThat(lines).noneMatch(line -> line.startsWith("2026-01-01"));
        assertThat(lines).noneMatch(line -> line.startsWith("ERROR forged"));
        assertThat(lines.get(0)).isEqualTo("2027-01-15T08:00:00.000Z ERROR [probe] analyzer crashed on raw_assets/a"
                + "\\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg.jpg");
        assertThat(lines.get(1)).isEqualTo("java.lang.IllegalStateException: analyzer crashed on raw_assets/a"
                + "\\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg.jpg");
        assertThat(lines).contains("\tSuppressed: java.io.IOException: closing raw_assets/a"
                + "\\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg.jpg");
        assertThat(lines).anyMatch(line -> line.equals("Caused by: java.io.IOException: cannot open raw_assets/a"
                + "\\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg.jpg\\r\\nERROR forged too"));
        assertThat(lines).contains("\tat io.assetindex.log.LineLayoutTest.thrown(LineLayoutTest.java:25)");
        assertThat(lines.subList(2, lines.size())).as("every other line is a frame, a cause or a suppressed exception")
                .allMatch(line -> line.isEmpty() || line.matches("\t+(at |\\.\\.\\. \\d+ common frames omitted|Suppressed: ).*")
                        || line.startsWith("Caused by: "));
    }

    @Test
    void controlCharactersInAFrameAreEscaped() {
        Throwable thrown = new IllegalStateException("plain");
        thrown.setStackTrace(new StackTraceElement[] {
                new StackTraceElement("io.assetindex.Evil", "run", "Evil.java" + FORGED, 7)});

        List<String> lines = layout("failed", thrown).lines().toList();

        assertThat(lines).containsExactly("2027-01-15T08:00:00.000Z ERROR failed", "java.lang.IllegalStateException: plain",
                "\tat io.assetindex.Evil.run(Evil.java\\n2026-01-01T00:00:00.000Z INFO  [watcher] processed fake.jpg:7)", "");
    }
}
