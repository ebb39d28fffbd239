package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.ImageFacts;
import io.assetindex.media.MediaException;
import io.assetindex.media.MediaTools;
import io.assetindex.media.StreamFacts;
import java.io.IOException;
import java.util.EnumSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "probe" analyzer: the facts people filter by. Images from their header
 * (metadata-extractor: size, orientation, camera, lens, capture time, GPS); audio and video
 * from ffprobe (duration, size as displayed, fps, codecs, bitrate, rotation, creation time,
 * audio tags), which also reads every packet for the integrity check; audio in the common
 * formats from the in-process reader that gives the same facts and verifies the whole stream
 * ({@link StreamFacts}). A file it cannot read is not indexed. What the reader reports goes to
 * watcher.err.log with the file's name.
 */
public final class ProbeAnalyzer extends MediaAnalyzer {
    public static final String NAME = "probe";
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    /** Its settings: a version alone. */
    public static final AnalyzerSettings SETTINGS = AnalyzerSettings.of(NAME, "2");

    private final MediaTools tools;

    public ProbeAnalyzer(MediaTools tools) {
        super(SETTINGS, true, EnumSet.allOf(MediaType.class));
        this.tools = tools;
    }

    @Override
    ObjectNode read(AnalysisInput input) throws MediaException, IOException, InterruptedException {
        if (input.mediaType() == MediaType.IMAGE) {
            return ImageFacts.read(input.file());
        }
        StreamFacts.Probe probe = StreamFacts.read(tools, input.file(), input.mediaType(), input.sizeBytes());
        String reported = probe.messages().summary(10);
        if (reported != null) {
            LOG.warn("[probe] {} reported for {}: {}", probe.reader(), input.file(), reported);
        }
        return probe.facts();
    }
}
