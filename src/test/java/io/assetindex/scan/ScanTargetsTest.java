package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigException;
import io.assetindex.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanTargetsTest {
    @TempDir
    Path workspace;

    private AppConfig config;

    @BeforeEach
    void config() throws IOException {
        Files.createDirectories(workspace.resolve("raw_assets/a/b"));
        Files.createDirectories(workspace.resolve("raw_assets/jobs/J1"));
        Files.createDirectories(workspace.resolve("elsewhere"));
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets, raw_assets/jobs]\n");
        config = ConfigLoader.load(new ConfigLoader.Sources(workspace, null, Map.of(), Map.of()));
    }

    @Test
    void noPathsMeansEveryWatchPathWhole() {
        assertThat(ScanTargets.forPaths(config, List.of())).extracting(t -> t.root().name() + ":" + t.relPrefix())
                .containsExactly("raw_assets:", "raw_assets/jobs:");
    }

    @Test
    void aPathInsideAWatchPathBelongsToTheDeepestOne() {
        assertThat(ScanTargets.forPaths(config, List.of(workspace.resolve("raw_assets/a/b"),
                workspace.resolve("raw_assets/jobs/J1")))).extracting(t -> t.root().name() + ":" + t.relPrefix())
                .containsExactly("raw_assets:a/b/", "raw_assets/jobs:J1/");
    }

    @Test
    void aFolderOutsideEveryWatchPathIsARootOfItsOwn() {
        ScanTarget target = ScanTargets.forPaths(config, List.of(workspace.resolve("elsewhere"))).get(0);
        assertThat(target.root().name()).isEqualTo("elsewhere");
        assertThat(target.relPrefix()).isEmpty();
    }

    @Test
    void overlappingPathsAreScannedOnce() {
        assertThat(ScanTargets.forPaths(config, List.of(workspace.resolve("raw_assets/a/b"),
                workspace.resolve("raw_assets/a"), workspace.resolve("raw_assets/a"))))
                .extracting(ScanTarget::relPrefix).containsExactly("a/");
    }

    @Test
    void missingPathIsAUsageError() {
        assertThatThrownBy(() -> ScanTargets.forPaths(config, List.of(workspace.resolve("nope"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void theIndexFolderIsNotAScanTarget() throws IOException {
        Files.createDirectories(workspace.resolve(".asset_index/logs"));
        assertThatThrownBy(() -> ScanTargets.forPaths(config, List.of(workspace.resolve(".asset_index/logs"))))
                .hasMessageContaining("inside the index's own folder");
    }
}
