package io.assetindex.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstanceLockTest {
    @TempDir
    Path dir;

    @Test
    void secondHolderIsRefusedAndToldWhoHoldsIt() throws Exception {
        Path file = dir.resolve(".asset_index/watcher.lock");
        ProcessIdentity first = new ProcessIdentity(111, Instant.parse("2026-11-21T09:00:00Z"));
        try (InstanceLock lock = InstanceLock.acquire(file, first)) {
            assertThatThrownBy(() -> InstanceLock.acquire(file, new ProcessIdentity(222, Instant.now())))
                    .isInstanceOf(InstanceLock.HeldException.class)
                    .satisfies(e -> assertThat(((InstanceLock.HeldException) e).holder()).contains(first));
        }
        try (InstanceLock again = InstanceLock.acquire(file, new ProcessIdentity(333, Instant.now()))) {
            assertThat(again).isNotNull();
        }
    }
}
