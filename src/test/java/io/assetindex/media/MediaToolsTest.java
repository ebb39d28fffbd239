package io.assetindex.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.assetindex.MediaType;
import io.assetindex.config.MediaSettings;
import io.assetindex.testing.Ffmpeg;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaToolsTest {
    private static final MediaTools TOOLS = new MediaTools(new MediaSettings(null, null, false, 256, 85),
            Path.of("target", "javacpp-cache").toAbsolutePath());

    @TempDir
    Path folder;

    @Test
    void aFileNamedLikeAnFfmpegSequencePatternIsReadAsItselfNotAsItsNumberedNeighbour() throws Exception {
        Path neighbour = folder.resolve("shot1.webp");
        Ffmpeg.run("-f", "lavfi", "-i", "color=red:size=64x48", "-frames:v", "1", neighbour.toString());
        Path pattern = folder.resolve("shot%d.webp");
        Path made = folder.resolve("made.webp");
        Ffmpeg.run("-f", "lavfi", "-i", "color=blue:size=32x32", "-frames:v", "1", made.toString());
        Files.move(made, pattern);

        Thumbnailer.Thumbnail thumbnail = Thumbnailer.make(TOOLS, new Thumbnailer.Source(pattern, MediaType.IMAGE,
                Files.size(pattern), "WebP", 1, null, 32, 32), null, 256, 85);

        assertThat(thumbnail.width()).as("its own 32x32 picture, not shot1.webp's 64x48").isEqualTo(32);
        assertThat(thumbnail.height()).isEqualTo(32);
    }

    @Test
    void theBundledToolsRunAndSayWhatTheyAre() throws Exception {
        for (MediaTools.Tool tool : MediaTools.Tool.values()) {
            assertThat(TOOLS.run(tool, List.of("-version"), java.time.Duration.ofSeconds(30)).stdoutText())
                    .startsWith(tool.command() + " version");
            assertThat(TOOLS.describe(tool)).endsWith("(bundled)");
        }
    }
}
