package io.assetindex.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * CPU time (user + system) of Linux processes, from {@code /proc/PID/stat}: of one process (all its
 * threads), or of a process tree one level deep such as a PostgreSQL server (the postmaster, its
 * living children, and the children that exited and were waited for, which the kernel adds to the
 * parent's {@code cutime}/{@code cstime}). A difference of two readings is the CPU used between them.
 */
final class ProcessCpu {
    /** Clock ticks per second of {@code /proc} times: 100 on every Linux build that matters here. */
    private static final double TICKS_PER_SECOND = 100;

    private ProcessCpu() {}

    /** Seconds of CPU {@code pid} has used so far (its own threads only). */
    static double seconds(long pid) {
        long[] fields = stat(pid);
        if (fields == null) {
            throw new IllegalStateException("no process " + pid);
        }
        return (fields[0] + fields[1]) / TICKS_PER_SECOND;
    }

    /**
     * Seconds of CPU {@code parent} and its children have used so far: its own, its living
     * children's, and those of its children that have exited.
     */
    static double treeSeconds(long parent) {
        long[] own = stat(parent);
        if (own == null) {
            throw new IllegalStateException("no process " + parent);
        }
        long ticks = own[0] + own[1] + own[2] + own[3];
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] child = stat(Long.parseLong(name));
                if (child != null && child[4] == parent) {
                    ticks += child[0] + child[1];
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ticks / TICKS_PER_SECOND;
    }

    /**
     * Seconds of CPU the living threads of {@code pid} have used so far, by kind of thread: the
     * thread's name (as the kernel keeps it, 15 characters) without its number, so that a pool's
     * threads ({@code indexer-1}, {@code indexer-2} ...) add up. Threads that ended are not in it.
     */
    static Map<String, Double> secondsByThread(long pid) {
        Map<String, Double> seconds = new TreeMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                String name;
                String line;
                try {
                    name = Files.readString(task.resolve("comm")).strip();
                    line = Files.readString(task.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
                double used = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                seconds.merge(name.replaceAll("[-#]?\\d+$", ""), used, Double::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return seconds;
    }

    /** Seconds of CPU all processes of the machine have used so far (every CPU's busy time, summed). */
    static double machineSeconds() {
        String[] f;
        try {
            f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // cpu user nice system idle iowait irq softirq steal ...: all but idle and iowait is busy.
        long busy = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy / TICKS_PER_SECOND;
    }

    /** The parent of {@code pid}. */
    static long parent(long pid) {
        long[] fields = stat(pid);
        if (fields == null) {
            throw new IllegalStateException("no process " + pid);
        }
        return fields[4];
    }

    /** utime, stime, cutime, cstime, ppid; null when the process is gone. */
    private static long[] stat(long pid) {
        String line;
        try {
            line = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null; // exited while being read
        }
        // The command name (field 2) is in parentheses and may hold spaces: count from the last ')'.
        String[] f = line.substring(line.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                Long.parseLong(f[14]), Long.parseLong(f[1])};
    }
}
