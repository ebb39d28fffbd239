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
import io.assetindex.state.InstanceLock;
import io.assetindex.state.ProcessIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's log files in a workspace's {@code .asset_index/logs/}, written by no other process
 * meanwhile: logback cannot share a rolling file between processes (two of them rolling
 * watcher.out.log at once lose and mix lines).
 *
 * <p>A pair {@code <name>.out.log} (every event from INFO up, one line each, without stack traces)
 * and {@code <name>.err.log} (warnings and errors, with their stack traces) belongs to the process
 * holding the OS lock on {@code <name>.log.lock} next to them: the watcher writes {@code watcher.*},
 * a {@code scan} writes {@code scan.*}, and so on. Each file rolls over at {@code maxFileBytes},
 * keeping {@code keepFiles} old ones ({@code watcher.out.1.log} is the newest). The OS releases the
 * lock however the process ends (kill -9 included), so a lock that can be taken is never stale.
 *
 * <p>A process that cannot have its files (another one holds them, or the folder cannot be
 * written) never touches them: it logs to the console only, and {@link #notice()} says so. Closing
 * switches logging back to the console before releasing the lock, so nothing reaches the files
 * once another process may own them. Logback's configuration is the whole JVM's: one open
 * {@code LogFiles} per process at a time.
 */
public final class LogFiles implements AutoCloseable {
    private final LoggerContext context;
    private final InstanceLock lock;
    private final String notice;

    private LogFiles(LoggerContext context, InstanceLock lock, String notice) {
        this.context = context;
        this.lock = lock;
        this.notice = notice;
    }

    /**
     * Sends this process's logging to {@code <logsDir>/<name>.out.log} and {@code <name>.err.log},
     * if no other process writes them now.
     *
     * @param console also write every event to stdout (the watcher under systemd or launchd, whose
     *                journal keeps it); without its files such a process logs to stdout alone, any
     *                other keeps the warnings on stderr that it starts with (see {@link ConsoleLogging})
     */
    public static LogFiles open(Path logsDir, String name, long maxFileBytes, int keepFiles, boolean console) {
        return open((LoggerContext) LoggerFactory.getILoggerFactory(), logsDir, name, maxFileBytes, keepFiles, console);
    }

    static LogFiles open(LoggerContext context, Path logsDir, String name, long maxFileBytes, int keepFiles,
            boolean console) {
        InstanceLock lock;
        try {
            Files.createDirectories(logsDir);
            lock = InstanceLock.acquire(logsDir.resolve(name + ".log.lock"), self());
        } catch (InstanceLock.HeldException e) {
            return withoutFiles(context, console, "another asset-index " + name + " ("
                    + e.holder().map(holder -> "pid " + holder.pid()).orElse("another process") + ") is writing "
                    + logsDir.resolve(name + ".out.log"));
        } catch (IOException | RuntimeException e) {
            return withoutFiles(context, console, "cannot write logs in " + logsDir + " (" + e + ")");
        }
        configure(context, console);
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        ZoneId zone = ZoneId.systemDefault();
        root.addAppender(rollingFile(context, logsDir, name + ".out", Level.INFO, new LineLayout(zone, true, false),
                maxFileBytes, keepFiles));
        root.addAppender(rollingFile(context, logsDir, name + ".err", Level.WARN, new LineLayout(zone, true, true),
                maxFileBytes, keepFiles));
        return new LogFiles(context, lock, null);
    }

    /** Without files: the console set-up the process started with, or for the daemon, stdout alone. */
    private static LogFiles withoutFiles(LoggerContext context, boolean console, String why) {
        if (console) {
            configure(context, true);
        }
        return new LogFiles(context, null, why + (console ? "; this one logs to stdout only"
                : "; this one logs its warnings and errors to stderr only"));
    }

    /** Resets logging to INFO and up, to stdout if {@code console}, to nothing else yet. */
    private static void configure(LoggerContext context, boolean console) {
        context.reset();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        ConsoleLogging.quietLibraries(context);
        if (console) {
            root.addAppender(ConsoleLogging.console(context, "STDOUT", "System.out",
                    new LineLayout(ZoneId.systemDefault(), true, false)));
        }
    }

    /** This process, as the lock file names it to another one that wants the files. */
    private static ProcessIdentity self() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessIdentity(self.pid(), self.info().startInstant().orElse(Instant.EPOCH));
    }

    /** Whether this process writes the files. */
    public boolean writesFiles() {
        return lock != null;
    }

    /** Why this process does not write its files, and where its log lines go instead. */
    public Optional<String> notice() {
        return Optional.ofNullable(notice);
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

    /** Back to the console set-up, then the files are free for another process. */
    @Override
    public void close() {
        if (lock == null) {
            return;
        }
        context.reset();
        ConsoleLogging.warningsOnStderr(context);
        try {
            lock.close();
        } catch (IOException e) {
            // the OS releases it when this process ends
        }
    }
}
