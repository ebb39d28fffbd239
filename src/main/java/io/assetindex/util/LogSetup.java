package io.assetindex.util;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Points logging at a workspace's {@code .asset_index/logs/}: watcher.out.log gets every
 * event (INFO and up) as one line without stack traces; watcher.err.log gets warnings and
 * errors with their stack traces. Both roll over by size, keeping a bounded number.
 * Until this is called (the read-only commands), only warnings reach stderr.
 */
public final class LogSetup {
    private static final String CONFIG = "/io/assetindex/logback-workspace.xml";

    private LogSetup() {}

    /**
     * @param console also write events to stdout (for the daemon under systemd or launchd)
     */
    public static void toWorkspace(Path logsDir, long maxFileBytes, int keepFiles, boolean console) {
        try {
            Files.createDirectories(logsDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the log folder " + logsDir, e);
        }
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        context.putProperty("LOG_DIR", logsDir.toAbsolutePath().toString());
        context.putProperty("MAX_FILE_SIZE", String.valueOf(maxFileBytes));
        context.putProperty("KEEP_FILES", String.valueOf(keepFiles));
        context.putProperty("CONSOLE_LEVEL", console ? "INFO" : "OFF");
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        URL config = LogSetup.class.getResource(CONFIG);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("logging configuration " + CONFIG + " is broken", e);
        }
    }
}
