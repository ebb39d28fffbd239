package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.store.Volume;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class VolumeGuardTest {
    private static Volume recordedOn(String device) {
        return new Volume("", device, 1302, Instant.EPOCH, null, null);
    }

    @Test
    void aWatchPathThatWasADiskAndIsNowAFolderOnItsParentsDiskIsUnmounted() {
        assertThat(VolumeGuard.unmountedRoot(recordedOn("811"), "801", "801"))
                .hasValueSatisfying(reason -> assertThat(reason).contains("looks unmounted").contains("device 811"));
    }

    @Test
    void aDiskRemountedUnderAnotherNumberOrAPlainFolderIsNot() {
        assertThat(VolumeGuard.unmountedRoot(recordedOn("811"), "801", "812")).as("remounted elsewhere").isEmpty();
        assertThat(VolumeGuard.unmountedRoot(recordedOn("801"), "801", "801")).as("a plain folder").isEmpty();
        assertThat(VolumeGuard.unmountedRoot(null, "801", "801")).as("never walked").isEmpty();
        assertThat(VolumeGuard.unmountedRoot(recordedOn("811"), null, "801")).as("no device numbers here").isEmpty();
    }

    @Test
    void countsHoldAVolumeWithNoFileOrATenthOfItsFilesAndNothingElse() {
        assertThat(VolumeGuard.holdReason(3, 0)).isPresent();
        assertThat(VolumeGuard.holdReason(20, 1)).isPresent();
        assertThat(VolumeGuard.holdReason(20, 2)).as("a tenth is left").isEmpty();
        assertThat(VolumeGuard.holdReason(9, 1)).as("too few for a fraction").isEmpty();
        assertThat(VolumeGuard.holdReason(0, 0)).isEmpty();
    }
}
