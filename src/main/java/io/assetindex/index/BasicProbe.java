package io.assetindex.index;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;

/**
 * The "probe" analyzer at its basic level: image width, height and format from the header;
 * for audio and video, that the container is what the extension says. A file that fails
 * this is corrupt or misnamed and is not indexed.
 */
public final class BasicProbe implements Analyzer {
    public static final String NAME = "probe";
    private static final String VERSION = "basic-1";

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
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        if (input.mediaType() == MediaType.IMAGE) {
            ImageHeader.Facts facts = ImageHeader.read(input.file());
            result.put("format", facts.format());
            result.put("mime_type", facts.mimeType());
            if (facts.width() != null) {
                result.put("width", facts.width());
                result.put("height", facts.height());
            }
        } else {
            ContainerSignature.Container container = ContainerSignature.check(input.file(), input.extension());
            result.put("container", container == null ? null : container.label);
        }
        return result;
    }
}
