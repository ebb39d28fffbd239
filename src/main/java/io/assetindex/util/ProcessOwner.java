package io.assetindex.util;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Optional;

/**
 * Names a process in rows it writes ("pid:start-millis"), and tells whether the process such a
 * name stands for still runs: the same pid with the same start time, so a pid reused by another
 * process does not count. Uses only the JDK's process API. Also names the machine.
 */
public final class ProcessOwner {
    /** Looked up once: the lookup may ask DNS, and a process does not change machines. */
    private static volatile String host;

    private ProcessOwner() {}

    /** The machine's name, as state.json and the rows of a process record it. */
    public static String host() {
        String name = host;
        if (name == null) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = System.getenv().getOrDefault("HOSTNAME", "unknown");
            }
            host = name;
        }
        return name;
    }

    /** This process's name. */
    public static String current() {
        return of(ProcessHandle.current());
    }

    static String of(ProcessHandle process) {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        return process.pid() + ":" + started;
    }

    /** Whether the process named so runs now; false for a name that does not parse. */
    public static boolean isRunning(String owner) {
        int colon = owner.indexOf(':');
        if (colon <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(owner.substring(0, colon));
            Optional<ProcessHandle> process = ProcessHandle.of(pid);
            return process.isPresent() && process.get().isAlive() && of(process.get()).equals(owner);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
