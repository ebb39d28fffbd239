package io.assetindex.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * A process told apart from a later one that reuses its pid: the pid and the time the
 * process started.
 *
 * <p>The JDK's {@link ProcessHandle} answers first: it costs nothing to start, where OSHI's first
 * question took 100 ms of every short command (its classes, its logging, a process it starts).
 * OSHI answers what the JDK cannot tell: a start time the platform does not report, and whether a
 * process that is still there has exited (a zombie) on systems without Linux's {@code /proc}.
 */
public record ProcessIdentity(long pid, Instant startedAt) {
    /** Start times read twice for one process may differ by clock rounding; pid reuse within this is impossible. */
    private static final Duration SAME_START = Duration.ofSeconds(1);

    /** Linux's per-process files; elsewhere OSHI tells zombies apart. */
    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));

    private static volatile OperatingSystem os;

    /** This process. */
    public static ProcessIdentity current() {
        ProcessHandle self = ProcessHandle.current();
        Optional<Instant> started = self.info().startInstant();
        if (started.isPresent()) {
            return new ProcessIdentity(self.pid(), started.get());
        }
        OperatingSystem system = os();
        int pid = system.getProcessId();
        return new ProcessIdentity(pid, Instant.ofEpochMilli(system.getProcess(pid).getStartTime()));
    }

    /** Whether this very process (same pid and start time) is running now. */
    public boolean isRunning() {
        if (!validPid()) {
            return false;
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty()) {
            return false;
        }
        Optional<Instant> started = handle.get().info().startInstant();
        if (started.isEmpty()) {
            return runningByOshi();
        }
        return sameStart(started.get()) && !exited();
    }

    /** Whether some process, perhaps another one, has this pid now. */
    public boolean pidInUse() {
        return validPid() && ProcessHandle.of(pid).isPresent();
    }

    private boolean validPid() {
        return pid > 0 && pid <= Integer.MAX_VALUE;
    }

    private boolean sameStart(Instant actual) {
        return Duration.between(actual, startedAt).abs().compareTo(SAME_START) <= 0;
    }

    /**
     * Whether the process has exited though its pid is still taken: a zombie, which only its parent
     * has not collected yet (the JDK counts it alive).
     */
    private boolean exited() {
        if (!PROC) {
            return !alive(os().getProcess((int) pid));
        }
        try {
            // proc(5): "pid (comm) state ...", where comm may hold any character, ')' and spaces too.
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1);
            int name = stat.lastIndexOf(')');
            if (name < 0 || name + 2 >= stat.length()) {
                return false;
            }
            char state = stat.charAt(name + 2);
            return state == 'Z' || state == 'X' || state == 'x';
        } catch (NoSuchFileException e) {
            return true; // gone since the JDK looked
        } catch (IOException e) {
            return false; // there but unreadable: the JDK saw it with its start time
        }
    }

    private boolean runningByOshi() {
        OSProcess process = os().getProcess((int) pid);
        return alive(process) && sameStart(Instant.ofEpochMilli(process.getStartTime()));
    }

    private static boolean alive(OSProcess process) {
        return process != null && process.getState() != OSProcess.State.INVALID
                && process.getState() != OSProcess.State.ZOMBIE;
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
