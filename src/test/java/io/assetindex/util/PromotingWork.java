package io.assetindex.util;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM's work for {@link OldGenerationGuardTest}: holds 16 MiB for good and keeps files'
 * worth of short-lived data "in flight" long enough to be promoted, 200 MiB in all, about 256 KiB per millisecond, then prints
 * the serial old generation's peak use in MiB and the guard's full collections.
 */
public final class PromotingWork {
    private PromotingWork() {}

    public static void main(String[] args) throws Exception {
        OldGenerationGuard guard = args.length > 0 && args[0].equals("guard") ? OldGenerationGuard.start().orElseThrow()
                : null;
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals(OldGenerationGuard.SERIAL_OLD_POOL)).findFirst().orElseThrow();
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            held.add(new byte[1 << 20]);
        }
        System.gc();
        old.resetPeakUsage();
        byte[][] inFlight = new byte[64][];
        for (int i = 0; i < 200 * 16; i++) {
            inFlight[i % inFlight.length] = new byte[64 << 10]; // kept for 64 more allocations: 4 MiB
            if (i % 4 == 0) {
                Thread.sleep(1); // lets the guard's thread run
            }
        }
        Thread.sleep(200);
        System.out.println((old.getPeakUsage().getUsed() >> 20) + " " + (guard == null ? 0 : guard.collections())
                + " " + held.size() + inFlight.length);
    }
}
