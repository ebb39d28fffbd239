package io.assetindex.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/** This process's resident memory, as the kernel counts it (heap, native allocations, mapped code). */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** VmRSS in bytes, or empty where /proc is not there (macOS). */
    public static OptionalLong residentBytes() {
        return field("VmRSS:");
    }

    /** VmHWM: the peak resident memory in bytes, or empty where /proc is not there. */
    public static OptionalLong peakResidentBytes() {
        return field("VmHWM:");
    }

    private static OptionalLong field(String name) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(name)) {
                    return OptionalLong.of(Long.parseLong(line.substring(name.length()).replace("kB", "").strip()) * 1024);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return OptionalLong.empty();
    }
}
