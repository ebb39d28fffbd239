package io.assetindex.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Linux's inotify limits: what they are now, how to raise them, and recognising the JDK's
 * "out of inotify watches / instances" errors (IOExceptions whose message names the limit).
 */
public final class InotifyLimits {
    private static final Path PROC = Path.of("/proc/sys/fs/inotify");
    public static final String WATCHES = "max_user_watches";
    private static final String INSTANCES = "max_user_instances";
    /** A limit that fits large media trees; the kernel's own default is often 8192. */
    private static final long SUGGESTED_WATCHES = 524_288;
    private static final long SUGGESTED_INSTANCES = 1024;

    private InotifyLimits() {}

    /** One line explaining the failure and the fix, or empty if it is not about inotify limits. */
    public static Optional<String> explain(IOException error, String rootName) {
        String message = String.valueOf(error.getMessage()).toLowerCase(Locale.ROOT);
        if (!message.contains("inotify")) {
            return Optional.empty();
        }
        boolean instances = message.contains("instance");
        String setting = instances ? INSTANCES : WATCHES;
        OptionalLong now = current(setting);
        return Optional.of("out of inotify " + (instances ? "instances" : "watches") + " while watching " + rootName
                + " (fs.inotify." + setting + " = " + (now.isPresent() ? now.getAsLong() : "unknown") + "); "
                + advice(setting));
    }

    /** How to raise a limit, now and for good. */
    public static String advice(String setting) {
        long suggested = setting.equals(INSTANCES) ? SUGGESTED_INSTANCES : SUGGESTED_WATCHES;
        return "raise it with 'sudo sysctl fs.inotify." + setting + "=" + suggested + "' and keep it with a line 'fs.inotify."
                + setting + " = " + suggested + "' in /etc/sysctl.d/90-asset-index.conf";
    }

    /** The limit now, or empty where there is none to read (not Linux). */
    public static OptionalLong current(String setting) {
        try {
            // Not Files.readString: it trusts the size /proc reports and reads one byte of the number.
            return OptionalLong.of(Long.parseLong(Files.readAllLines(PROC.resolve(setting)).get(0).strip()));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
