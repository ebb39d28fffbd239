package io.assetindex.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.MediaType;
import io.assetindex.media.audio.AudioHeaders;
import io.assetindex.media.audio.HeaderFacts;
import io.assetindex.util.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What ffprobe says about an audio or video file: container, duration, bitrate, and per kind
 * the facts people filter by. Video: width and height as displayed (rotation applied), fps,
 * has_audio, codecs, rotation, creation time. Audio: duration, sample rate, channels, codec,
 * and the title, artist, album and genre tags. ffprobe's whole output is kept under
 * {@code ffprobe} for raw_json.
 *
 * <p>Audio in the common formats is read in this process instead ({@link AudioHeaders}), with
 * the same facts and without a process per file; such a result has no {@code ffprobe} output,
 * and its {@code packets} name the reader that verified the stream ({@code tool}). Whatever that
 * reader cannot vouch for is read by ffprobe as before.
 */
public final class StreamFacts {
    private static final List<String> AUDIO_TAGS = List.of("title", "artist", "album", "genre", "album_artist", "date");

    /** The facts, plus what the reader (ffprobe, or the in-process reader named) reported while reading the file. */
    public record Probe(ObjectNode facts, ToolMessages messages, String reader) {}

    private StreamFacts() {}

    /**
     * @throws MediaException when ffprobe cannot read the file, or it has no stream of the expected kind
     */
    public static Probe read(MediaTools tools, Path file, MediaType type, long sizeBytes)
            throws MediaException, IOException, InterruptedException {
        if (type == MediaType.AUDIO) {
            Optional<HeaderFacts> header = AudioHeaders.read(file);
            if (header.isPresent()) {
                return fromHeader(header.get());
            }
        }
        return ffprobe(tools, file, type, sizeBytes);
    }

    /**
     * What ffprobe says, whatever the format.
     *
     * @throws MediaException when ffprobe cannot read the file, or it has no stream of the expected kind
     */
    public static Probe ffprobe(MediaTools tools, Path file, MediaType type, long sizeBytes)
            throws MediaException, IOException, InterruptedException {
        // -count_packets reads every packet: the demux half of the integrity check, for a few percent more.
        Subprocess.Result result = tools.ffprobe(file, List.of("-loglevel", "level+warning", "-count_packets",
                "-print_format", "json", "-show_format", "-show_streams"), MediaTools.limitFor(sizeBytes));
        if (result.timedOut()) {
            throw MediaException.transientFailure("ffprobe did not finish within "
                    + MediaTools.limitFor(sizeBytes).toSeconds() + " s; it is tried again later");
        }
        if (MediaTools.outOfMemory(result)) {
            throw MediaException.transientFailure("reading it needs more memory than ffprobe may use ("
                    + (MediaTools.ADDRESS_SPACE_BYTES >> 30) + " GiB); it is tried again later");
        }
        JsonNode probe = parse(result.stdout());
        ToolMessages messages = ToolMessages.parse(result.stderr());
        if (result.exitCode() != 0 || probe == null || !probe.has("format")) {
            throw new MediaException("not a readable " + type.id() + " file (ffprobe: " + messages.first()
                    + "); the file may be corrupt, truncated or misnamed");
        }
        ObjectNode facts = type == MediaType.VIDEO ? video(probe) : audio(probe);
        putPackets(facts, messages, result.durationMs());
        facts.set("ffprobe", probe);
        return new Probe(facts, messages, "ffprobe");
    }

    private static Probe fromHeader(HeaderFacts header) {
        ObjectNode facts = Json.object();
        facts.put("container", header.container());
        putTiming(facts, header.durationSeconds(), header.bitRate());
        facts.put("audio_codec", header.codec());
        facts.put("sample_rate", header.sampleRate());
        facts.put("channels", header.channels());
        facts.put("has_audio", true);
        putTags(facts, header.tags());
        ToolMessages messages = new ToolMessages(List.of(), header.warnings());
        putPackets(facts, messages, header.readMs()).put("tool", header.tool());
        return new Probe(facts, messages, header.tool());
    }

    /** What the check of every packet found: the quick integrity check's input (see IntegrityAnalyzer). */
    private static ObjectNode putPackets(ObjectNode facts, ToolMessages messages, long readMs) {
        ObjectNode packets = facts.putObject("packets");
        packets.put("read", true);
        packets.set("errors", Json.MAPPER.valueToTree(messages.errors()));
        packets.set("warnings", Json.MAPPER.valueToTree(messages.warnings()));
        packets.put("read_ms", readMs);
        return packets;
    }

    private static ObjectNode video(JsonNode probe) throws MediaException {
        JsonNode stream = firstStream(probe, "video")
                .orElseThrow(() -> new MediaException("no video stream (ffprobe found "
                        + streamKinds(probe) + "); the file may be corrupt or misnamed"));
        ObjectNode facts = common(probe);
        int rotation = rotation(stream);
        int width = stream.path("width").asInt();
        int height = stream.path("height").asInt();
        boolean quarterTurn = Math.abs(rotation) % 180 == 90;
        facts.put("width", quarterTurn ? height : width);
        facts.put("height", quarterTurn ? width : height);
        if (rotation != 0) {
            facts.put("rotation", rotation);
        }
        fps(stream).ifPresent(fps -> facts.put("fps", fps));
        facts.put("video_codec", stream.path("codec_name").asText(null));
        facts.put("pixel_format", stream.path("pix_fmt").asText(null));
        Optional<JsonNode> audio = firstStream(probe, "audio");
        facts.put("has_audio", audio.isPresent());
        audio.ifPresent(a -> facts.put("audio_codec", a.path("codec_name").asText(null)));
        String created = tag(probe.path("format"), "creation_time").or(() -> tag(stream, "creation_time")).orElse(null);
        facts.put("created_at", created);
        return facts;
    }

    private static ObjectNode audio(JsonNode probe) throws MediaException {
        JsonNode stream = firstStream(probe, "audio")
                .orElseThrow(() -> new MediaException("no audio stream (ffprobe found "
                        + streamKinds(probe) + "); the file may be corrupt or misnamed"));
        ObjectNode facts = common(probe);
        facts.put("audio_codec", stream.path("codec_name").asText(null));
        if (stream.path("sample_rate").canConvertToInt() || stream.path("sample_rate").isTextual()) {
            facts.put("sample_rate", stream.path("sample_rate").asInt());
        }
        facts.put("channels", stream.path("channels").asInt());
        facts.put("has_audio", true);
        Map<String, String> tags = new LinkedHashMap<>();
        for (String name : AUDIO_TAGS) {
            tag(probe.path("format"), name).or(() -> tag(stream, name)).ifPresent(value -> tags.put(name, value));
        }
        putTags(facts, tags);
        return facts;
    }

    private static void putTags(ObjectNode facts, Map<String, String> values) {
        ObjectNode tags = Json.object();
        for (String name : AUDIO_TAGS) {
            if (values.containsKey(name)) {
                tags.put(name, values.get(name));
            }
        }
        if (!tags.isEmpty()) {
            facts.set("tags", tags);
        }
    }

    private static ObjectNode common(JsonNode probe) {
        ObjectNode facts = Json.object();
        JsonNode format = probe.path("format");
        facts.put("container", format.path("format_name").asText(null));
        putTiming(facts, format.path("duration").asDouble(0), format.path("bit_rate").asLong(0));
        return facts;
    }

    private static void putTiming(ObjectNode facts, double durationSeconds, long bitRate) {
        if (durationSeconds > 0) {
            facts.put("duration_seconds", durationSeconds);
        }
        if (bitRate > 0) {
            facts.put("bit_rate", bitRate);
        }
    }

    /** The first stream of a kind, skipping cover art (an "attached picture" is not video). */
    private static Optional<JsonNode> firstStream(JsonNode probe, String kind) {
        for (JsonNode stream : probe.path("streams")) {
            if (kind.equals(stream.path("codec_type").asText()) && stream.path("disposition").path("attached_pic").asInt() == 0) {
                return Optional.of(stream);
            }
        }
        return Optional.empty();
    }

    private static String streamKinds(JsonNode probe) {
        StringBuilder kinds = new StringBuilder();
        for (JsonNode stream : probe.path("streams")) {
            kinds.append(kinds.length() == 0 ? "" : ", ").append(stream.path("codec_type").asText("?"));
        }
        return kinds.length() == 0 ? "no streams" : kinds.toString();
    }

    /** Degrees the picture is turned for display, from the display matrix or the legacy rotate tag. */
    private static int rotation(JsonNode stream) {
        for (JsonNode side : stream.path("side_data_list")) {
            if (side.has("rotation")) {
                return (int) Math.round(side.get("rotation").asDouble());
            }
        }
        return tag(stream, "rotate").map(value -> {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }).orElse(0);
    }

    private static Optional<Double> fps(JsonNode stream) {
        for (String field : new String[] {"avg_frame_rate", "r_frame_rate"}) {
            String[] parts = stream.path(field).asText("0/0").split("/");
            try {
                double value = parts.length == 2 ? Double.parseDouble(parts[0]) / Double.parseDouble(parts[1])
                        : Double.parseDouble(parts[0]);
                if (Double.isFinite(value) && value > 0) {
                    return Optional.of(Math.round(value * 1000) / 1000.0);
                }
            } catch (NumberFormatException e) {
                // try the next field
            }
        }
        return Optional.empty();
    }

    /** A tag by name, whatever its case (formats differ: TITLE, Title, title). */
    private static Optional<String> tag(JsonNode node, String name) {
        Iterator<Map.Entry<String, JsonNode>> tags = node.path("tags").fields();
        while (tags.hasNext()) {
            Map.Entry<String, JsonNode> tag = tags.next();
            if (tag.getKey().toLowerCase(Locale.ROOT).equals(name) && !tag.getValue().asText().isBlank()) {
                return Optional.of(tag.getValue().asText().strip());
            }
        }
        return Optional.empty();
    }

    private static JsonNode parse(byte[] json) {
        try {
            return json.length == 0 ? null : Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

}
