package io.assetindex.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Recognises Linux's "out of inotify watches / instances" errors and says how to fix them.
 * The JDK reports them as IOExceptions whose message names the limit.
 */
final class InotifyLimits {
    private static final Path PROC = Path.of("/proc/sys/fs/inotify");
    /** A limit that fits large media trees; the kernel's own default is often 8192. */
    private static final long SUGGESTED_WATCHES = 524_288;
    private static final long SUGGESTED_INSTANCES = 1024;

    private InotifyLimits() {}

    /** One line explaining the failure and the fix, or empty if it is not about inotify limits. */
    static Optional<String> explain(IOException error, String rootName) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (!message.contains("inotify")) {
            return Optional.empty();
        }
        boolean instances = message.contains("instance");
        String setting = instances ? "max_user_instances" : "max_user_watches";
        long suggested = instances ? SUGGESTED_INSTANCES : SUGGESTED_WATCHES;
        return Optional.of("[watcher] out of inotify " + (instances ? "instances" : "watches") + " while watching "
                + rootName + " (fs.inotify." + setting + " = " + current(setting) + "); raise it with 'sudo sysctl"
                + " fs.inotify." + setting + "=" + suggested + "' and keep it with a line 'fs.inotify." + setting
                + " = " + suggested + "' in /etc/sysctl.d/90-asset-index.conf");
    }

    private static String current(String setting) {
        try {
            // Not Files.readString: it trusts the size /proc reports and reads one byte of the number.
            return Files.readAllLines(PROC.resolve(setting)).get(0).strip();
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
