package io.assetindex.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MediaFilterTest {
    private final Map<String, MediaType> types =
            Map.of("jpg", MediaType.IMAGE, "mp4", MediaType.VIDEO, "wav", MediaType.AUDIO);

    private MediaFilter filter(String... globs) {
        return new MediaFilter(types, List.of(globs));
    }

    @Test
    void indexesMediaExtensionsCaseInsensitively() {
        assertThat(filter().mediaTypeOf(Path.of("a/b/Photo.JPG"))).contains(MediaType.IMAGE);
        assertThat(filter().mediaTypeOf(Path.of("clip.mp4"))).contains(MediaType.VIDEO);
        assertThat(filter().mediaTypeOf(Path.of("notes.txt"))).isEmpty();
        assertThat(filter().mediaTypeOf(Path.of("jpg"))).isEmpty();
    }

    @Test
    void skipsHiddenFilesAndFilesInHiddenFolders() {
        assertThat(filter().mediaTypeOf(Path.of(".secret.jpg"))).isEmpty();
        assertThat(filter().mediaTypeOf(Path.of("a/.thumbs/x.jpg"))).isEmpty();
        assertThat(filter().skipsDirectory(Path.of("a/.thumbs"))).isTrue();
        assertThat(filter().skipsDirectory(Path.of("a/thumbs"))).isFalse();
    }

    @Test
    void skipsPartialDownloadsAndLockFiles() {
        assertThat(filter().mediaTypeOf(Path.of("clip.mp4.part"))).isEmpty();
        assertThat(filter().mediaTypeOf(Path.of("clip.mp4.crdownload"))).isEmpty();
        assertThat(filter().mediaTypeOf(Path.of("clip.mp4.tmp"))).isEmpty();
        assertThat(filter().mediaTypeOf(Path.of("~$clip.mp4"))).isEmpty();
    }

    @Test
    void globWithoutSlashMatchesAnyNameAtAnyDepth() {
        MediaFilter filter = filter("proxies", "*_small.jpg");
        assertThat(filter.mediaTypeOf(Path.of("job/proxies/a.mp4"))).isEmpty();
        assertThat(filter.skipsDirectory(Path.of("job/proxies"))).isTrue();
        assertThat(filter.mediaTypeOf(Path.of("deep/er/x_small.jpg"))).isEmpty();
        assertThat(filter.mediaTypeOf(Path.of("deep/er/x_large.jpg"))).contains(MediaType.IMAGE);
    }

    @Test
    void globWithSlashMatchesThePathFromTheRoot() {
        MediaFilter filter = filter("exports/**", "job/*.wav");
        assertThat(filter.mediaTypeOf(Path.of("exports/a/b.mp4"))).isEmpty();
        assertThat(filter.mediaTypeOf(Path.of("other/exports/b.mp4"))).contains(MediaType.VIDEO);
        assertThat(filter.mediaTypeOf(Path.of("job/take.wav"))).isEmpty();
        assertThat(filter.mediaTypeOf(Path.of("job/x/take.wav"))).contains(MediaType.AUDIO);
    }

    @Test
    void aFileIsLeftOutForItsExtensionOnlyWhenNothingElseSkipsIt() {
        MediaFilter filter = filter("proxies");
        assertThat(filter.unlistedExtension(Path.of("sounds/Bell.OGA"))).contains("oga");
        assertThat(filter.unlistedExtension(Path.of("notes.txt"))).contains("txt");
        assertThat(filter.unlistedExtension(Path.of("photo.jpg"))).as("indexed").isEmpty();
        assertThat(filter.unlistedExtension(Path.of(".bell.oga"))).as("hidden").isEmpty();
        assertThat(filter.unlistedExtension(Path.of(".cache/bell.oga"))).as("in a hidden folder").isEmpty();
        assertThat(filter.unlistedExtension(Path.of("bell.oga.part"))).as("partial download").isEmpty();
        assertThat(filter.unlistedExtension(Path.of("~$bell.oga"))).as("lock file").isEmpty();
        assertThat(filter.unlistedExtension(Path.of("proxies/bell.oga"))).as("ignored").isEmpty();
        assertThat(filter.unlistedExtension(Path.of("README"))).as("no extension").isEmpty();
        assertThat(filter.unlistedExtension(Path.of("notes.final draft"))).as("no extension a config lists").isEmpty();
    }
}
