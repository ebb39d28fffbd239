package io.assetindex.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.time.ZoneId;
import org.slf4j.Logger;

/**
 * Logback's start-up configuration (found through META-INF/services): warnings and errors
 * on stderr, one line each, and the progress of a long upgrade of the index, nothing else. It is code rather than logback.xml so that commands
 * start without parsing XML. {@code watch}, {@code scan}, {@code verify} and {@code requeue}
 * then switch to their log files in the workspace with {@link LogFiles}.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class ConsoleLogging extends ContextAwareBase implements Configurator {

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        warningsOnStderr(context);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Warnings and errors on stderr, one line each, nothing else (on a context with no appender yet). */
    static void warningsOnStderr(LoggerContext context) {
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        // ... and how far a long upgrade of the index got, which a person waits for.
        context.getLogger("io.assetindex.store.Migrations").setLevel(Level.INFO);
        quietLibraries(context);
        root.addAppender(stderr(context, "STDERR", false));
    }

    /**
     * Libraries that warn about things that do not concern us: DJL (the embedding tokenizer) about
     * CUDA on machines with a CUDA runtime but no driver, HikariCP and OSHI about their housekeeping
     * (HikariCP warns of every connection a restarting database server dropped: the watcher says
     * once that the database went and came back).
     */
    static void quietLibraries(LoggerContext context) {
        context.getLogger("ai.djl").setLevel(Level.ERROR);
        context.getLogger("com.zaxxer.hikari").setLevel(Level.ERROR);
        context.getLogger("oshi").setLevel(Level.WARN);
        context.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
    }

    static ConsoleAppender<ILoggingEvent> stderr(LoggerContext context, String name, boolean withTime) {
        return console(context, name, "System.err", new LineLayout(ZoneId.systemDefault(), withTime, false));
    }

    static ConsoleAppender<ILoggingEvent> console(LoggerContext context, String name, String target, LineLayout layout) {
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(context);
        appender.setName(name);
        appender.setTarget(target);
        appender.setEncoder(layout.startedEncoder(context));
        appender.start();
        return appender;
    }
}
