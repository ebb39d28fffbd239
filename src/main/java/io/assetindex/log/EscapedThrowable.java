package io.assetindex.log;

import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.assetindex.util.Text;
import java.util.Arrays;

/**
 * A logged exception as logback prints it (first line, one frame per line, "Caused by:",
 * "Suppressed:", "... N common frames omitted"), with the control characters of every message and
 * frame escaped. Exception messages hold file names, and a file name with a newline must not
 * forge a line of watcher.err.log.
 */
record EscapedThrowable(IThrowableProxy thrown) implements IThrowableProxy {

    /** The stack trace text, lines separated by the platform's line separator. */
    static String asString(IThrowableProxy thrown) {
        return ThrowableProxyUtil.asString(new EscapedThrowable(thrown));
    }

    @Override
    public String getMessage() {
        return Text.escapeControls(thrown.getMessage());
    }

    @Override
    public String getOverridingMessage() {
        return Text.escapeControls(thrown.getOverridingMessage());
    }

    @Override
    public String getClassName() {
        return Text.escapeControls(thrown.getClassName());
    }

    @Override
    public StackTraceElementProxy[] getStackTraceElementProxyArray() {
        StackTraceElementProxy[] frames = thrown.getStackTraceElementProxyArray();
        return frames == null ? null : Arrays.stream(frames).map(EscapedFrame::new).toArray(StackTraceElementProxy[]::new);
    }

    /** A frame printed as the JDK prints it ("at module/class.method(File.java:12)"), escaped. */
    private static final class EscapedFrame extends StackTraceElementProxy {
        private static final long serialVersionUID = 1L;
        private final String text;

        EscapedFrame(StackTraceElementProxy frame) {
            super(frame.getStackTraceElement());
            text = Text.escapeControls(frame.getSTEAsString());
        }

        @Override
        public String getSTEAsString() {
            return text;
        }
    }

    @Override
    public int getCommonFrames() {
        return thrown.getCommonFrames();
    }

    @Override
    public IThrowableProxy getCause() {
        return thrown.getCause() == null ? null : new EscapedThrowable(thrown.getCause());
    }

    @Override
    public IThrowableProxy[] getSuppressed() {
        IThrowableProxy[] suppressed = thrown.getSuppressed();
        return suppressed == null ? null : Arrays.stream(suppressed).map(EscapedThrowable::new)
                .toArray(IThrowableProxy[]::new);
    }

    @Override
    public boolean isCyclic() {
        return thrown.isCyclic();
    }
}
