package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.Ffmpeg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every format the default configuration indexes beyond the first ones, on a real file of that
 * format made by the bundled ffmpeg: indexed with the default extensions as the right media
 * type, with its size or duration, a thumbnail for pictures and video, and found by its name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FormatsTest {
    private static final String PICTURE = "testsrc2=size=160x120";
    private static final String CLIP = "testsrc2=size=160x120:rate=25";
    private static final String TONE = "sine=frequency=440:sample_rate=48000";

    /** File name, media type, and how ffmpeg makes it (after the input). */
    private record Format(String name, String type, List<String> encode) {}

    private static final List<Format> FORMATS = List.of(
            new Format("still.avif", "image", List.of("-frames:v", "1", "-c:v", "libaom-av1", "-still-picture", "1")),
            new Format("still.bmp", "image", List.of("-frames:v", "1")),
            new Format("broadcast.mxf", "video", List.of("-t", "1", "-c:v", "mpeg2video")),
            new Format("camcorder.mts", "video", List.of("-t", "1", "-c:v", "mpeg2video", "-f", "mpegts")),
            new Format("camcorder.m2ts", "video", List.of("-t", "1", "-c:v", "mpeg2video", "-f", "mpegts")),
            new Format("stream.ts", "video", List.of("-t", "1", "-c:v", "mpeg2video")),
            new Format("program.mpg", "video", List.of("-t", "1", "-c:v", "mpeg1video")),
            new Format("program.mpeg", "video", List.of("-t", "1", "-c:v", "mpeg2video", "-f", "mpeg")),
            new Format("dvd.vob", "video", List.of("-t", "1", "-c:v", "mpeg2video", "-f", "vob")),
            new Format("tape.dv", "video", List.of("-t", "1", "-c:v", "dvvideo", "-s", "720x576", "-pix_fmt",
                    "yuv420p", "-r", "25")),
            new Format("windows.wmv", "video", List.of("-t", "1")),
            new Format("flash.flv", "video", List.of("-t", "1")),
            new Format("phone.3gp", "video", List.of("-t", "1", "-c:v", "mpeg4", "-s", "176x144")),
            new Format("bell.oga", "audio", List.of("-t", "1", "-c:a", "flac")),
            new Format("studio.aif", "audio", List.of("-t", "1")),
            new Format("studio.aiff", "audio", List.of("-t", "1.5")),
            new Format("studio.aifc", "audio", List.of("-t", "2", "-f", "aiff")),
            new Format("apple.caf", "audio", List.of("-t", "1", "-c:a", "alac")),
            new Format("windows.wma", "audio", List.of("-t", "1")),
            new Format("surround.ac3", "audio", List.of("-t", "1")));

    private Path workspace;
    private InProcess cli;
    private final Map<String, JsonNode> byName = new HashMap<>();

    @BeforeAll
    void indexOneFileOfEachFormat(@TempDir Path dir) throws IOException {
        workspace = dir;
        Files.writeString(workspace.resolve("asset-index.yaml"), "watch_paths: [raw_assets]\n");
        for (Format format : FORMATS) {
            Path file = workspace.resolve("raw_assets").resolve(format.name());
            Files.createDirectories(file.getParent());
            String input = switch (format.type()) {
                case "image" -> PICTURE;
                case "video" -> CLIP;
                default -> TONE;
            };
            List<String> args = new java.util.ArrayList<>(List.of("-f", "lavfi", "-i", input));
            args.addAll(format.encode());
            if (!format.type().equals("image")) {
                args.addAll(List.of("-metadata", "title=" + format.name())); // no two files the same content
            }
            args.add(file.toString());
            Ffmpeg.run(args.toArray(String[]::new));
        }
        cli = new InProcess(workspace);
        JsonNode scan = cli.json("scan");
        assertThat(scan.path("indexed").asInt()).as(scan.toString()).isEqualTo(FORMATS.size());
        assertThat(scan.path("failed").asInt()).isZero();
        for (JsonNode asset : cli.json("list", "--limit", "100").get("results")) {
            byName.put(asset.at("/paths/0").asText().replace("raw_assets/", ""), asset);
        }
    }

    @Test
    void eachFormatIsIndexedAsItsTypeWithItsSizeOrDuration() {
        assertThat(byName.keySet()).containsExactlyInAnyOrderElementsOf(FORMATS.stream().map(Format::name).toList());
        for (Format format : FORMATS) {
            JsonNode asset = byName.get(format.name());
            assertThat(asset.path("media_type").asText()).as(format.name()).isEqualTo(format.type());
            if (!format.type().equals("audio")) {
                assertThat(asset.path("width").asInt()).as(format.name()).isPositive();
                assertThat(asset.path("height").asInt()).as(format.name()).isPositive();
                JsonNode raw = cli.json("show", "raw_assets/" + format.name()).at("/asset/raw_json");
                assertThat(raw.at("/thumbnail/thumb_width").asInt()).as(format.name() + ": " + raw).isPositive();
                assertThat(workspace.resolve(".asset_index").resolve(raw.at("/thumbnail/path").asText())).isRegularFile();
            }
            if (!format.type().equals("image")) {
                assertThat(asset.path("duration_seconds").asDouble()).as(format.name()).isBetween(0.5, 2.5);
            }
        }
        assertThat(byName.get("still.avif").path("width").asInt()).isEqualTo(160);
        assertThat(byName.get("tape.dv").path("width").asInt()).isPositive();
    }

    @Test
    void eachFormatIsFoundByItsName() {
        for (String stem : List.of("broadcast", "camcorder", "surround", "apple")) {
            JsonNode first = cli.json("search", stem, "--mode", "keyword").get("results").get(0);
            assertThat(first.at("/paths/0").asText()).startsWith("raw_assets/" + stem + ".");
        }
    }
}
