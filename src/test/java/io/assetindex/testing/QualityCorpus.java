package io.assetindex.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.assetindex.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The search-quality corpus: the files of {@code src/test/resources/search-quality/corpus.json}
 * made as real media in a workspace (JPEG photos with their camera's EXIF, PNG screenshots, short
 * H.264 videos with or without sound, WAV recordings), in an asset pool ({@code raw_assets}) and
 * a jobs root ({@code jobs/ACME-042/...}), and the answers a vision and a speech model give about
 * each of them ({@link #answers()}, for {@link FakeAiApi}).
 *
 * <p>A transcription request carries only the sound, so the answers tell the files apart by the
 * length of the upload: every file with sound has its own duration, at least half a second from
 * any other's (checked when the corpus is read). An upload that matches none is counted in
 * {@link #unmatchedUploads()} and answered with the default transcript.
 */
public final class QualityCorpus {
    /** The transcriber sends MP3 at 32 kbit/s. */
    private static final double UPLOAD_BYTES_PER_SECOND = 4_000;
    private static final double MATCH_SECONDS = 0.25;
    private static final double DISTINCT_SECONDS = 0.5;
    private static final Pattern WORD_BREAK = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern CAMEL = Pattern.compile("(?<=\\p{Ll})(?=\\p{Lu})");
    /** Words too common to make a query share meaning with a file. */
    private static final Set<String> COMMON = Set.of("a", "an", "the", "of", "in", "on", "at", "to", "with", "and",
            "for", "by", "from", "is", "it", "its", "as", "into", "over", "under", "against", "no", "not", "this",
            "that", "up", "or", "be", "are", "their", "his", "her", "your", "my");

    /** One file of the corpus and what the models say about it. */
    public record File(String path, JsonNode spec, ExifCamera.Camera camera) {
        /** Its length in seconds (video and audio), or 0. */
        public double seconds() {
            return spec.path("seconds").asDouble(0);
        }

        public boolean hasSound() {
            return extension().equals("wav") || spec.path("sound").asBoolean(false);
        }

        String extension() {
            return path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        }

        /** The transcript's text, or "" (no words, or no sound). */
        public String transcript() {
            List<String> texts = new ArrayList<>();
            spec.path("transcript").forEach(segment -> texts.add(segment.path("text").asText()));
            return String.join(" ", texts);
        }

        /** The words of everything the index holds about the file as text: path, camera, description, transcript. */
        Set<String> words() {
            StringBuilder text = new StringBuilder(path).append(' ');
            if (camera != null) {
                text.append(camera.make()).append(' ').append(camera.model()).append(' ')
                        .append(camera.lens() == null ? "" : camera.lens()).append(' ');
            }
            for (String field : List.of("style", "summary")) {
                text.append(spec.path(field).asText()).append(' ');
            }
            spec.path("tags").forEach(tag -> text.append(tag.asText()).append(' '));
            spec.path("mood").forEach(mood -> text.append(mood.asText()).append(' '));
            spec.path("scenes").forEach(scene -> text.append(scene.path("description").asText()).append(' '));
            return QualityCorpus.words(text.append(transcript()).toString());
        }
    }

    private final List<File> files;
    private final List<Integer> unmatchedUploads = new CopyOnWriteArrayList<>();

    private QualityCorpus(List<File> files) {
        this.files = files;
    }

    /** The corpus as src/test/resources/search-quality/corpus.json describes it. */
    public static QualityCorpus load() {
        JsonNode corpus = resource("/search-quality/corpus.json");
        List<File> files = new ArrayList<>();
        for (JsonNode spec : corpus.get("files")) {
            JsonNode camera = spec.hasNonNull("camera") ? corpus.at("/cameras/" + spec.get("camera").asText()) : null;
            if (camera != null && camera.isMissingNode()) {
                throw new IllegalArgumentException("no camera " + spec.get("camera") + " in corpus.json");
            }
            files.add(new File(spec.get("path").asText(), spec, camera == null ? null : new ExifCamera.Camera(
                    camera.get("make").asText(), camera.get("model").asText(), camera.path("lens").textValue(),
                    spec.path("taken").textValue())));
        }
        checkSoundLengthsDiffer(files);
        return new QualityCorpus(List.copyOf(files));
    }

    static JsonNode resource(String name) {
        try (InputStream in = QualityCorpus.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("no resource " + name);
            }
            return Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void checkSoundLengthsDiffer(List<File> files) {
        List<File> sound = files.stream().filter(File::hasSound).sorted(Comparator.comparingDouble(File::seconds)).toList();
        for (int i = 1; i < sound.size(); i++) {
            if (sound.get(i).seconds() - sound.get(i - 1).seconds() < DISTINCT_SECONDS) {
                throw new IllegalArgumentException(sound.get(i - 1).path() + " and " + sound.get(i).path()
                        + " last nearly as long: the fake transcriber could not tell them apart");
            }
        }
    }

    public List<File> files() {
        return files;
    }

    /** The workspace paths of the corpus, "raw_assets/…" and "jobs/…". */
    public Set<String> paths() {
        return files.stream().map(File::path).collect(Collectors.toUnmodifiableSet());
    }

    /** Transcription uploads whose length matched no file with sound, in bytes. */
    public List<Integer> unmatchedUploads() {
        return List.copyOf(unmatchedUploads);
    }

    /**
     * Writes every file into {@code workspace} and a configuration that indexes {@code raw_assets}
     * and the jobs root {@code jobs}, describing and transcribing with the models at
     * {@code aiBaseUrl} (no key, no rate limit worth the name).
     */
    public void write(Path workspace, String aiBaseUrl) {
        for (int i = 0; i < files.size(); i++) {
            make(workspace.resolve(files.get(i).path()), files.get(i), 1000 + i);
        }
        TestMedia.write(workspace.resolve("asset-index.yaml"), """
                watch_paths: [raw_assets, jobs]
                jobs_roots: [jobs]
                ai:
                  base_url: %s
                  max_retries: 1
                  requests_per_minute: 100000
                  max_concurrent_requests: 8
                  describe:
                    model: vision-test
                    image_max_side: 256
                    video_frames: 2
                  transcribe:
                    model: whisper-test
                """.formatted(aiBaseUrl).getBytes(StandardCharsets.UTF_8));
    }

    private static void make(Path target, File file, int seed) {
        JsonNode size = file.spec().path("size");
        int width = size.path(0).asInt(640);
        int height = size.path(1).asInt(480);
        switch (file.extension()) {
            case "jpg" -> {
                TestMedia.jpeg(target, width, height, seed);
                if (file.camera() != null) {
                    ExifCamera.write(target, file.camera());
                }
            }
            case "png" -> TestMedia.image(target, "png", width, height, seed);
            case "wav" -> TestMedia.wav(target, file.seconds(), seed);
            case "mp4", "mov" -> Ffmpeg.clip(target, 320, 240, file.seconds(), file.hasSound(), seed);
            default -> throw new IllegalArgumentException("the corpus makes no ." + file.extension() + " file");
        }
    }

    /** What the vision and speech models answer about each file of the corpus. */
    public FakeAiApi.Answers answers() {
        return new FakeAiApi.Answers() {
            @Override
            public ObjectNode description(String file) {
                return files.stream().filter(f -> f.path().endsWith("/" + file)).findFirst()
                        .map(QualityCorpus::descriptionOf).orElse(null);
            }

            @Override
            public ObjectNode transcription(int uploadBytes) {
                double seconds = uploadBytes / UPLOAD_BYTES_PER_SECOND;
                File nearest = files.stream().filter(File::hasSound)
                        .min(Comparator.comparingDouble(f -> Math.abs(f.seconds() - seconds))).orElseThrow();
                if (Math.abs(nearest.seconds() - seconds) > MATCH_SECONDS) {
                    unmatchedUploads.add(uploadBytes);
                    return null;
                }
                return transcriptionOf(nearest);
            }
        };
    }

    private static ObjectNode descriptionOf(File file) {
        JsonNode spec = file.spec();
        ObjectNode reply = Json.object();
        for (String field : List.of("style", "summary", "tags", "mood")) {
            reply.set(field, spec.get(field));
        }
        reply.set("scenes", spec.has("scenes") ? spec.get("scenes") : Json.MAPPER.createArrayNode());
        reply.put("audio_role", file.hasSound() ? spec.get("audio_role").asText() : null);
        return reply;
    }

    private static ObjectNode transcriptionOf(File file) {
        ObjectNode answer = Json.object();
        answer.put("text", file.transcript());
        answer.put("language", "english");
        answer.put("duration", file.seconds());
        ArrayNode segments = answer.putArray("segments");
        for (JsonNode segment : file.spec().path("transcript")) {
            segments.addObject().put("id", segments.size()).put("start", segment.get("start").asDouble())
                    .put("end", segment.get("end").asDouble()).put("text", " " + segment.get("text").asText());
        }
        return answer;
    }

    /**
     * The words of {@code query} that share a root with a word of the file's text: the same word,
     * or one beginning the other ("surf" and "surfboards", "leap" and "leaping"), the shorter of at
     * least four letters; words too common to carry meaning are left out.
     */
    public static List<String> sharedWords(String query, File file) {
        Set<String> words = file.words();
        return words(query).stream().filter(word -> words.stream().anyMatch(other -> sameRoot(word, other)))
                .sorted().toList();
    }

    private static boolean sameRoot(String shorter, String longer) {
        if (shorter.length() > longer.length()) {
            return sameRoot(longer, shorter);
        }
        return shorter.equals(longer) || shorter.length() >= 4 && longer.startsWith(shorter);
    }

    /** The lowercased words of a text, camelCase split, the most common left out. */
    static Set<String> words(String text) {
        return Stream.of(WORD_BREAK.split(CAMEL.matcher(text).replaceAll(" ").toLowerCase(Locale.ROOT)))
                .filter(word -> !word.isEmpty() && !COMMON.contains(word)).collect(Collectors.toUnmodifiableSet());
    }
}
