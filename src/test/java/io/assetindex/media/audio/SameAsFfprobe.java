package io.assetindex.media.audio;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.StreamFacts;
import io.assetindex.testing.Ffmpeg;
import java.nio.file.Files;
import java.nio.file.Path;

/** Compares the probe's facts from the in-process reader with ffprobe's, field by field. */
final class SameAsFfprobe {
    private SameAsFfprobe() {}

    /** The in-process reader vouched for the file, and every fact equals ffprobe's; returns its facts. */
    static ObjectNode readInProcess(Path file) throws Exception {
        StreamFacts.Probe inProcess = StreamFacts.read(Ffmpeg.TOOLS, file, MediaType.AUDIO, Files.size(file));
        StreamFacts.Probe ffprobe = StreamFacts.ffprobe(Ffmpeg.TOOLS, file, MediaType.AUDIO, Files.size(file));
        assertThat(inProcess.reader()).as("read in process: " + file.getFileName()).isNotEqualTo("ffprobe");
        assertThat(withoutReader(inProcess.facts())).as(file.getFileName() + " (ffprobe: left)")
                .isEqualTo(withoutReader(ffprobe.facts()));
        assertThat(inProcess.messages()).isEqualTo(ffprobe.messages());
        return inProcess.facts();
    }

    /** The in-process reader did not vouch for the file: ffprobe read it. */
    static void leftToFfprobe(Path file) throws Exception {
        assertThat(AudioHeaders.read(file)).as(file.getFileName().toString()).isEmpty();
    }

    private static ObjectNode withoutReader(ObjectNode facts) {
        ObjectNode copy = facts.deepCopy();
        copy.remove("ffprobe");
        copy.remove("packets");
        return copy;
    }
}
