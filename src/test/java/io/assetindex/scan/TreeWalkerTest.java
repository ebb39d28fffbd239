package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import io.assetindex.config.WatchRoot;
import io.assetindex.index.FileCandidate;
import io.assetindex.testing.TestMedia;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TreeWalkerTest {
    @TempDir
    Path workspace;

    @Test
    void filesTheIndexHoldsUnchangedAreCountedByItsOwnPathsAndNotListed() throws Exception {
        Path raw = workspace.resolve("raw_assets");
        TestMedia.jpeg(raw.resolve("a/kept.jpg"), 16, 16, 1);
        TestMedia.jpeg(raw.resolve("a/edited.jpg"), 16, 16, 2);
        TestMedia.jpeg(raw.resolve("new.jpg"), 16, 16, 3);
        long keptSize = Files.size(raw.resolve("a/kept.jpg"));
        long keptMtime = Files.getLastModifiedTime(raw.resolve("a/kept.jpg")).to(TimeUnit.NANOSECONDS);
        String heldByIndex = new String("a/kept.jpg".toCharArray());
        TreeWalker walker = new TreeWalker(new MediaFilter(Map.of("jpg", MediaType.IMAGE), List.of()), Set.of());

        TreeWalker.Result result = walker.walk(new WatchRoot("raw_assets", raw, false), raw,
                (relPath, sizeBytes, mtimeNs) -> relPath.equals("a/kept.jpg") && sizeBytes == keptSize
                        && mtimeNs == keptMtime ? heldByIndex : null);

        assertThat(result.unchanged()).containsExactly("a/kept.jpg");
        assertThat(result.unchanged().get(0)).isSameAs(heldByIndex);
        assertThat(result.files()).extracting(FileCandidate::relPath).containsExactlyInAnyOrder("a/edited.jpg", "new.jpg");
        assertThat(result.found()).isEqualTo(3);
        assertThat(walker.walk(new WatchRoot("raw_assets", raw, false), raw).files()).hasSize(3);
    }
}
