package io.assetindex.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Points logging at a workspace's {@code .asset_index/logs/}: watcher.out.log gets every
 * event from INFO up, one line each, without stack traces; watcher.err.log gets warnings and
 * errors with their stack traces. Each rolls over at {@code maxFileBytes}, keeping
 * {@code keepFiles} old files ({@code watcher.out.1.log} is the newest).
 */
public final class LogSetup {
    private LogSetup() {}

    /**
     * @param console also write events to stdout (the daemon under systemd or launchd, whose journal keeps them)
     */
    public static void toWorkspace(Path logsDir, long maxFileBytes, int keepFiles, boolean console) {
        try {
            Files.createDirectories(logsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log folder " + logsDir, e);
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        ZoneId zone = ZoneId.systemDefault();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        ConsoleLogging.quietLibraries(context);
        root.addAppender(rollingFile(context, logsDir, "watcher.out", Level.INFO, new LineLayout(zone, true, false),
                maxFileBytes, keepFiles));
        root.addAppender(rollingFile(context, logsDir, "watcher.err", Level.WARN, new LineLayout(zone, true, true),
                maxFileBytes, keepFiles));
        if (console) {
            root.addAppender(ConsoleLogging.console(context, "STDOUT", "System.out", new LineLayout(zone, true, false)));
        }
    }

    private static Appender<ILoggingEvent> rollingFile(LoggerContext context, Path dir, String name, Level threshold,
            LineLayout layout, long maxFileBytes, int keepFiles) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setFile(dir.resolve(name + ".log").toString());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(context);
        rolling.setParent(appender);
        rolling.setFileNamePattern(dir.resolve(name + ".%i.log").toString());
        rolling.setMinIndex(1);
        rolling.setMaxIndex(keepFiles);
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(context);
        trigger.setMaxFileSize(new FileSize(maxFileBytes));
        trigger.start();

        ThresholdFilter filter = new ThresholdFilter();
        filter.setLevel(threshold.toString());
        filter.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(layout.startedEncoder(context));
        appender.addFilter(filter);
        appender.start();
        return appender;
    }
}
