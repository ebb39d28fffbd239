package io.assetindex.watch;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.config.WatchRoot;
import io.assetindex.watch.Debouncer.Kind;
import io.assetindex.watch.Debouncer.Stamp;
import io.assetindex.watch.Debouncer.Work;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The debouncer driven by a hand-moved clock and a map standing in for the file system. */
class DebouncerTest {
    private static final long QUIET = TimeUnit.MILLISECONDS.toNanos(1500);
    private static final long MAX_DELAY = TimeUnit.SECONDS.toNanos(60);

    private final WatchRoot root = new WatchRoot("raw_assets", Path.of("/ws/raw_assets"), false);
    private final Map<Path, Stamp> disk = new HashMap<>();
    private long now = 1_000_000_000L;
    private Debouncer debouncer = new Debouncer(QUIET, MAX_DELAY, 100, () -> now, disk::get);

    private Path file(String name) {
        return root.dir().resolve(name);
    }

    private void write(Path file, long size) {
        disk.put(file, new Stamp(size, now));
    }

    private void advanceMillis(long millis) {
        now += TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private List<Work> due() {
        return debouncer.due(1000, true);
    }

    @Test
    void fileIsDueOnlyAfterTheQuietPeriod() {
        Path a = file("a.jpg");
        write(a, 10);
        debouncer.changed(root, a);

        advanceMillis(1499);
        assertThat(due()).isEmpty();
        advanceMillis(1);
        assertThat(due()).containsExactly(new Work(Kind.FILE, root, a));
        assertThat(due()).isEmpty();
        assertThat(debouncer.size()).isZero();
    }

    @Test
    void everyEventRestartsTheQuietPeriod() {
        Path a = file("a.mp4");
        for (int i = 1; i <= 10; i++) {
            write(a, i * 100);
            debouncer.changed(root, a);
            advanceMillis(1000);
            assertThat(due()).isEmpty();
        }
        advanceMillis(500);
        assertThat(due()).extracting(Work::path).containsExactly(a);
    }

    @Test
    void fileThatChangedWithoutAnEventWaitsAnotherQuietPeriod() {
        Path a = file("slow-copy.mov");
        write(a, 100);
        debouncer.changed(root, a);
        advanceMillis(1500);
        write(a, 200); // the copy went on, but the event was coalesced away
        assertThat(due()).isEmpty();
        advanceMillis(1499);
        assertThat(due()).isEmpty();
        advanceMillis(1);
        assertThat(due()).extracting(Work::path).containsExactly(a);
    }

    @Test
    void fileThatNeverStopsChangingIsTriedAfterTheMaximumDelay() {
        Path a = file("growing.wav");
        long waitedMillis = 0;
        List<Work> due = List.of();
        while (due.isEmpty() && waitedMillis < 120_000) {
            write(a, waitedMillis);
            debouncer.changed(root, a);
            advanceMillis(500);
            waitedMillis += 500;
            due = due();
        }
        assertThat(due).extracting(Work::path).containsExactly(a);
        assertThat(waitedMillis).isEqualTo(60_000);
    }

    @Test
    void deleteThenCreateIsAChange() {
        Path a = file("a.jpg");
        write(a, 10);
        debouncer.gone(root, a);
        advanceMillis(100);
        debouncer.changed(root, a);
        advanceMillis(1500);
        assertThat(due()).containsExactly(new Work(Kind.FILE, root, a));
    }

    @Test
    void fileThatVanishesBeforeItIsDueIsSettledAsGone() {
        Path a = file("tmp.jpg");
        write(a, 10);
        debouncer.changed(root, a);
        disk.remove(a);
        advanceMillis(1500);
        assertThat(due()).containsExactly(new Work(Kind.GONE, root, a));
    }

    @Test
    void deletesComeAfterChangesAndRescans() {
        Path gone = file("old.jpg");
        Path added = file("new.jpg");
        write(added, 1);
        debouncer.gone(root, gone);
        debouncer.changed(root, added);
        debouncer.rescan(root, file("folder"), 0);
        advanceMillis(1500);
        List<Work> due = due();
        assertThat(due).extracting(Work::kind).containsExactlyInAnyOrder(Kind.FILE, Kind.RESCAN, Kind.GONE);
        assertThat(due.get(2).kind()).isEqualTo(Kind.GONE);
    }

    @Test
    void rescanAbsorbsWhatWaitsBelowItAndLaterEventsThere() {
        Path folder = file("shoot");
        write(folder.resolve("a.jpg"), 1);
        debouncer.changed(root, folder.resolve("a.jpg"));
        debouncer.gone(root, folder.resolve("sub/b.jpg"));
        debouncer.rescan(root, folder, 0);
        debouncer.changed(root, folder.resolve("c.jpg"));
        assertThat(debouncer.size()).isEqualTo(1);
        advanceMillis(1500);
        assertThat(due()).containsExactly(new Work(Kind.RESCAN, root, folder));
    }

    @Test
    void rescanWaitsForItsDelay() {
        debouncer.rescan(root, root.dir(), TimeUnit.SECONDS.toNanos(10));
        advanceMillis(9_999);
        assertThat(due()).isEmpty();
        advanceMillis(1);
        assertThat(due()).extracting(Work::kind).containsExactly(Kind.RESCAN);
    }

    @Test
    void burstBeyondTheLimitCollapsesIntoAFolderRescanAndStaysBounded() {
        debouncer = new Debouncer(QUIET, MAX_DELAY, 100, () -> now, disk::get);
        Path drop = file("drop");
        for (int i = 0; i < 10_000; i++) {
            Path f = drop.resolve("img" + i + ".jpg");
            write(f, i);
            debouncer.changed(root, f);
            assertThat(debouncer.size()).isLessThanOrEqualTo(100);
        }
        advanceMillis(1500);
        assertThat(due()).containsExactly(new Work(Kind.RESCAN, root, drop));
    }

    @Test
    void burstSpreadOverManyFoldersCollapsesToTheRoot() {
        debouncer = new Debouncer(QUIET, MAX_DELAY, 10, () -> now, disk::get);
        for (int i = 0; i < 50; i++) {
            Path f = file("d" + i + "/one.jpg");
            write(f, i);
            debouncer.changed(root, f);
        }
        assertThat(debouncer.size()).isLessThanOrEqualTo(10);
        advanceMillis(1500);
        assertThat(due()).extracting(Work::path).contains(root.dir());
    }

    @Test
    void backPressureHandsOutNoMoreFilesThanAsked() {
        for (int i = 0; i < 20; i++) {
            Path f = file("f" + i + ".jpg");
            write(f, i);
            debouncer.changed(root, f);
        }
        debouncer.rescan(root, file("other"), 0);
        advanceMillis(1500);
        assertThat(debouncer.due(5, false)).hasSize(5).allMatch(w -> w.kind() == Kind.FILE);
        assertThat(debouncer.size()).isEqualTo(16);
        assertThat(debouncer.due(100, true)).hasSize(16);
    }

    @Test
    void nestedRootKeepsItsOwnWork() {
        WatchRoot jobs = new WatchRoot("raw_assets/jobs", root.dir().resolve("jobs"), true);
        Path take = jobs.dir().resolve("J1/take.wav");
        write(take, 1);
        debouncer.changed(jobs, take);
        debouncer.rescan(root, root.dir(), 0);
        advanceMillis(1500);
        assertThat(due()).containsExactlyInAnyOrder(new Work(Kind.FILE, jobs, take), new Work(Kind.RESCAN, root, root.dir()));
    }
}
