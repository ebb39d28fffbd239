package io.assetindex.index;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.MediaException;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Set;

/**
 * Base of the analyzers that read media with the JDK or the bundled tools: a fixed name,
 * a config hash from the version and settings, the media types it applies to, and one
 * translation of what can go wrong (a damaged file, a tool that cannot run, an interrupt) into
 * {@link AnalysisException}s.
 */
abstract class MediaAnalyzer implements Analyzer {
    private final String name;
    private final AnalyzerSettings settings;
    private final String configHash;
    private final boolean required;
    private final Set<MediaType> types;

    /**
     * @param settings the analyzer's version and every setting that changes its results, e.g.
     *                 {@code AnalyzerSettings.of("thumbnail", "1", "size", 256, "quality", 85)}
     */
    MediaAnalyzer(AnalyzerSettings settings, boolean required, Set<MediaType> types) {
        this.name = settings.analyzer();
        this.settings = settings;
        this.configHash = settings.configHash();
        this.required = required;
        this.types = EnumSet.copyOf(types);
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final AnalyzerSettings settings() {
        return settings;
    }

    @Override
    public final String configHash() {
        return configHash;
    }

    @Override
    public final boolean appliesTo(MediaType mediaType) {
        return types.contains(mediaType);
    }

    @Override
    public final boolean required() {
        return required;
    }

    @Override
    public final ObjectNode analyze(AnalysisInput input) throws AnalysisException {
        try {
            return read(input);
        } catch (MediaException e) {
            throw new AnalysisException(e.getMessage(), e.transientFailure());
        } catch (IOException e) {
            throw new AnalysisException("cannot run the " + name + " analysis: " + e.getMessage(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AnalysisException("interrupted");
        }
    }

    /** What this analyzer finds in the file. */
    abstract ObjectNode read(AnalysisInput input)
            throws MediaException, IOException, InterruptedException, AnalysisException;
}
