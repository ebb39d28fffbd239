package io.assetindex.util;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM's work for {@link HeapTrimTest}: holds 128 MiB for good and 128 MiB more for a while
 * (a start-up's work), drops the latter and trims; then prints the serial old generation's
 * committed and used MiB and the JVM's MaxHeapFreeRatio.
 */
public final class TrimmedHeap {
    private TrimmedHeap() {}

    public static void main(String[] args) throws Exception {
        List<int[]> held = new ArrayList<>();
        List<int[]> work = new ArrayList<>();
        for (int i = 0; i < 128; i++) {
            held.add(new int[1 << 18]); // 1 MiB
            work.add(new int[1 << 18]);
        }
        System.gc();
        work.clear();
        HeapTrim.JVM.after("the work", HeapTrim.WORTH_IT);
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals(OldGenerationGuard.SERIAL_OLD_POOL)).findFirst().orElseThrow();
        String ratio = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class).getVMOption("MaxHeapFreeRatio")
                .getValue();
        System.out.println((old.getUsage().getCommitted() >> 20) + " " + (old.getUsage().getUsed() >> 20) + " " + ratio
                + " " + held.size());
    }
}
