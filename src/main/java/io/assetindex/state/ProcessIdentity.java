package io.assetindex.state;

import java.time.Duration;
import java.time.Instant;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * A process told apart from a later one that reuses its pid: the pid and the time the
 * process started, read with OSHI.
 */
public record ProcessIdentity(long pid, Instant startedAt) {
    /** Start times read twice for one process may differ by clock rounding; pid reuse within this is impossible. */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    private static volatile OperatingSystem os;

    /** This process. */
    public static ProcessIdentity current() {
        OperatingSystem system = os();
        int pid = system.getProcessId();
        OSProcess process = system.getProcess(pid);
        return new ProcessIdentity(pid, Instant.ofEpochMilli(process.getStartTime()));
    }

    /** Whether this very process (same pid and start time) is running now. */
    public boolean isRunning() {
        if (pid <= 0 || pid > Integer.MAX_VALUE) {
            return false;
        }
        OSProcess process = os().getProcess((int) pid);
        if (process == null || process.getState() == OSProcess.State.INVALID
                || process.getState() == OSProcess.State.ZOMBIE) {
            return false; // a zombie has exited; only its parent has not collected it yet
        }
        Instant actual = Instant.ofEpochMilli(process.getStartTime());
        return Duration.between(actual, startedAt).abs().compareTo(SAME_START) <= 0;
    }

    /** Whether some process, perhaps another one, has this pid now. */
    public boolean pidInUse() {
        return pid > 0 && pid <= Integer.MAX_VALUE && os().getProcess((int) pid) != null;
    }

    /** OSHI without native code where it can (Linux reads /proc), with JNA elsewhere (macOS). */
    private static OperatingSystem os() {
        OperatingSystem system = os;
        if (system == null) {
            oshi.nativefree.SystemInfo nativeFree = new oshi.nativefree.SystemInfo();
            system = nativeFree.isAvailable() ? nativeFree.getOperatingSystem() : new oshi.SystemInfo().getOperatingSystem();
            os = system;
        }
        return system;
    }
}
