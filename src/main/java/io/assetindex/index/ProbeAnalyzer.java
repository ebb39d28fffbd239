package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.ImageFacts;
import io.assetindex.media.MediaException;
import io.assetindex.media.MediaTools;
import io.assetindex.media.StreamFacts;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "probe" analyzer: the facts people filter by. Images from their header
 * (metadata-extractor: size, orientation, camera, lens, capture time, GPS); audio and video
 * from ffprobe (duration, size as displayed, fps, codecs, bitrate, rotation, creation time,
 * audio tags). A file it cannot read is not indexed. ffprobe's warnings go to
 * watcher.err.log with the file's name.
 */
public final class ProbeAnalyzer implements Analyzer {
    public static final String NAME = "probe";
    private static final String VERSION = "2";
    private static final Logger LOG = LoggerFactory.getLogger("watcher");

    private final MediaTools tools;

    public ProbeAnalyzer(MediaTools tools) {
        this.tools = tools;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configHash() {
        return ConfigHash.of(NAME + "/" + VERSION);
    }

    @Override
    public boolean appliesTo(MediaType mediaType) {
        return true;
    }

    @Override
    public boolean required() {
        return true;
    }

    @Override
    public ObjectNode analyze(AnalysisInput input) throws AnalysisException {
        try {
            if (input.mediaType() == MediaType.IMAGE) {
                return ImageFacts.read(input.file());
            }
            StreamFacts.Probe probe = StreamFacts.read(tools, input.file(), input.mediaType(), input.sizeBytes());
            String reported = probe.messages().summary(10);
            if (reported != null) {
                LOG.warn("[probe] ffprobe reported for {}: {}", input.file(), reported);
            }
            return probe.facts();
        } catch (MediaException e) {
            throw new AnalysisException(e.getMessage());
        } catch (IOException e) {
            throw new AnalysisException("cannot run ffprobe: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalysisException("interrupted");
        }
    }
}
