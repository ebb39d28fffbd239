package io.assetindex.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProcessIdentityTest {

    @Test
    void aStartTimeRecordedByOshiNamesTheSameProcess() {
        // Earlier versions recorded OSHI's start time in state.json and the lock file.
        oshi.nativefree.SystemInfo nativeFree = new oshi.nativefree.SystemInfo();
        var os = nativeFree.isAvailable() ? nativeFree.getOperatingSystem() : new oshi.SystemInfo().getOperatingSystem();
        long pid = ProcessHandle.current().pid();
        Instant byOshi = Instant.ofEpochMilli(os.getProcess((int) pid).getStartTime());

        assertThat(new ProcessIdentity(pid, byOshi).isRunning()).isTrue();
        assertThat(ProcessIdentity.current().pid()).isEqualTo(pid);
        assertThat(ProcessIdentity.current().startedAt()).isBetween(byOshi.minusSeconds(1), byOshi.plusSeconds(1));
    }

    @Test
    void aChildIsRunningUntilItEnds() throws Exception {
        Process child = new ProcessBuilder("sleep", "30").start();
        try {
            ProcessIdentity identity = new ProcessIdentity(child.pid(), child.info().startInstant().orElseThrow());
            assertThat(identity.isRunning()).isTrue();
            assertThat(identity.pidInUse()).isTrue();
            child.destroyForcibly().waitFor();
            assertThat(identity.isRunning()).isFalse();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aZombieHasExited() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "zombies are told apart through /proc here");
        // The shell starts a child, then becomes a sleep that never collects it: the child stays a zombie.
        // The child outlives the shell's own part by far: a shell may collect a child that ended before its exec.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 2 & echo $!; exec sleep 30").start();
        try {
            long pid;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.UTF_8))) {
                pid = Long.parseLong(out.readLine().strip());
            }
            Path stat = Path.of("/proc", Long.toString(pid), "stat");
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(stat).contains(") Z "));
            Instant started = ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow();

            ProcessIdentity zombie = new ProcessIdentity(pid, started);
            assertThat(zombie.isRunning()).isFalse();
            assertThat(zombie.pidInUse()).isTrue();
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }
}
