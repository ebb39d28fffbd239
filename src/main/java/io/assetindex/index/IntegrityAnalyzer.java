package io.assetindex.index;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.IntegrityCheck;
import io.assetindex.media.MediaException;
import io.assetindex.media.MediaTools;
import io.assetindex.media.ToolMessages;
import io.assetindex.util.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The "integrity" analyzer: is the file damaged (see {@link IntegrityCheck})? For audio and
 * video the quick check is what the probe saw while it read every packet (no second pass):
 * ffprobe's messages, or for audio read in-process, what its reader verified of the whole
 * stream (named as the tool); the deep check decodes every frame with ffmpeg.
 *
 * <p>Its result keeps what the checker said ({@code said}: errors and warnings, as read) and the
 * verdict on it under the user's ignore rules ({@link IntegrityJudge}): {@code corrupt},
 * {@code warning}, {@code details}, {@code ignored} and the {@code rules} hash it was judged
 * under, with {@code tool}, {@code mode}, {@code check_ms}, {@code media_type} and
 * {@code extension}. The rules are not part of the config hash: a cached result judged under
 * other rules is judged again when reused ({@link #reused}) and by {@link #rejudged}, never
 * checked again. A corrupt file is not indexed (process_log says why) unless the user accepted its
 * content as good ({@link Acceptances}).
 */
public final class IntegrityAnalyzer extends MediaAnalyzer {
    public static final String NAME = "integrity";

    /** Whether the user accepted a content as good despite its verdict ({@code integrity accept}). */
    @FunctionalInterface
    public interface Acceptances {
        Acceptances NONE = contentHash -> false;

        boolean accepted(String contentHash);
    }

    private final MediaTools tools;
    private final boolean deep;
    private final int previewLongSide;
    private final IntegrityJudge judge;
    private final Acceptances acceptances;

    public IntegrityAnalyzer(MediaTools tools, boolean deep) {
        this(tools, deep, 0, IntegrityJudge.NONE, Acceptances.NONE);
    }

    /**
     * @param previewLongSide the thumbnail size, so that the picture it decodes can be reused for the
     *                        thumbnail (a speed hint: it does not change the verdict nor the config hash)
     */
    public IntegrityAnalyzer(MediaTools tools, boolean deep, int previewLongSide, IntegrityJudge judge,
            Acceptances acceptances) {
        super(settings(deep), true, EnumSet.allOf(MediaType.class));
        this.tools = tools;
        this.deep = deep;
        this.previewLongSide = previewLongSide;
        this.judge = judge;
        this.acceptances = acceptances;
    }

    /** The settings its verdicts depend on: whether every frame is decoded. */
    public static AnalyzerSettings settings(boolean deep) {
        return AnalyzerSettings.of(NAME, "1", "deep", deep);
    }

    @Override
    ObjectNode read(AnalysisInput input) throws MediaException, IOException, InterruptedException {
        JsonNode probe = input.probe();
        Double duration = probe.has("duration_seconds") ? probe.get("duration_seconds").asDouble() : null;
        JsonNode packets = probe.path("packets");
        IntegrityCheck.Verdict verdict = !deep && packets.path("read").asBoolean()
                ? IntegrityCheck.fromProbePackets(texts(packets.path("errors")), texts(packets.path("warnings")),
                        packets.path("read_ms").asLong(), packets.path("tool").asText("ffprobe"))
                : IntegrityCheck.check(tools, input.file(), input.mediaType(), probe.path("format").asText(null),
                        input.sizeBytes(), duration, deep, previewLongSide);
        if (verdict.decoded() != null && previewLongSide > 0) {
            input.scratch().put(AnalysisInput.DECODED_IMAGE, verdict.decoded());
        }
        ObjectNode result = Json.object();
        result.put("tool", verdict.tool());
        result.put("mode", verdict.mode());
        result.put("check_ms", verdict.durationMs());
        result.put("media_type", input.mediaType().id());
        result.put("extension", input.extension());
        ObjectNode said = result.putObject("said");
        said.set("errors", Json.MAPPER.valueToTree(verdict.messages().errors()));
        said.set("warnings", Json.MAPPER.valueToTree(verdict.messages().warnings()));
        putVerdict(result, verdict.messages(), input.mediaType(), input.extension());
        return result;
    }

    /** A cached result, judged again if it was judged under other ignore rules. */
    @Override
    public ObjectNode reused(ObjectNode cached, AnalysisInput input) {
        return rejudged(cached, input.mediaType()).orElse(cached);
    }

    /**
     * The result judged under the current rules, or empty when it already is (or says nothing
     * a rule could change).
     *
     * @param type the content's media type, or null when not known (a result from before media
     *             types were recorded, of content never indexed)
     */
    public Optional<ObjectNode> rejudged(ObjectNode cached, MediaType type) {
        if (Objects.equals(cached.path("rules").textValue(), judge.rulesHash())) {
            return Optional.empty();
        }
        ToolMessages said = said(cached);
        if (said.errors().isEmpty() && cached.path("ignored").isEmpty()) {
            // Rules only turn errors into warnings: with no error, any rules judge it the same.
            return Optional.empty();
        }
        ObjectNode result = cached.deepCopy();
        MediaType known = cached.hasNonNull("media_type") ? MediaType.fromId(cached.get("media_type").asText()) : type;
        putVerdict(result, said, known, cached.path("extension").textValue());
        return result.equals(cached) ? Optional.empty() : Optional.of(result);
    }

    private void putVerdict(ObjectNode result, ToolMessages said, MediaType type, String extension) {
        IntegrityJudge.Judged judged = judge.judge(said, type, extension);
        result.put("corrupt", judged.messages().corrupt());
        result.put("warning", !judged.messages().warnings().isEmpty());
        result.put("details", judged.messages().summary(IntegrityCheck.DETAIL_LINES));
        result.set("ignored", Json.MAPPER.valueToTree(judged.ignored()));
        result.put("rules", judge.rulesHash());
    }

    /**
     * What the checker said. A result from before the messages were kept has only its details
     * (the first three, "; "-separated): errors if it was corrupt, else warnings.
     */
    private static ToolMessages said(ObjectNode result) {
        JsonNode said = result.path("said");
        if (said.isObject()) {
            return new ToolMessages(texts(said.path("errors")), texts(said.path("warnings")));
        }
        String details = result.path("details").textValue();
        List<String> messages = details == null ? List.of() : Arrays.asList(details.split("; "));
        return result.path("corrupt").asBoolean() ? new ToolMessages(messages, List.of())
                : new ToolMessages(List.of(), messages);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }

    /** The verdict among an analysis's results by analyzer name (raw_json); NONE when the check did not run. */
    public static FileOutcome.Integrity verdict(JsonNode results) {
        JsonNode result = results.path(NAME);
        if (result.path("corrupt").asBoolean()) {
            return FileOutcome.Integrity.CORRUPT;
        }
        return result.path("warning").asBoolean() ? FileOutcome.Integrity.WARNINGS : FileOutcome.Integrity.NONE;
    }

    @Override
    public Optional<String> rejection(ObjectNode result, AnalysisInput input) {
        if (!result.path("corrupt").asBoolean() || acceptances.accepted(input.contentHash())) {
            return Optional.empty();
        }
        return Optional.of(reason(result));
    }

    /** Why a corrupt verdict keeps a file out of the index. */
    public static String reason(JsonNode result) {
        return "corrupt: " + result.path("details").asText("no details") + " (checked by "
                + result.path("tool").asText("?") + ")";
    }
}
