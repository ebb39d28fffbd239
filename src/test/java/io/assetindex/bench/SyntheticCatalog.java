package io.assetindex.bench;

import io.assetindex.store.SearchWords;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A made-up media library of any size, every asset a pure function of its number, so the index
 * rows, the files on disk and the vectors of one asset agree however and whenever they are made.
 *
 * <p>Assets come in shoots of {@value #SHOOT} files, each shoot one folder: three in five in the
 * asset pool ({@code raw_assets/2023/2023-06-14 lisbon wedding/card 3/IMG_0042.JPG}), the rest in a job of
 * the jobs root ({@code jobs/ACME-042/footage/day2/C0012.MP4}), named as cameras and recorders name
 * files. A photo shoot is mostly images, a video shoot mostly clips with some sound and stills, a
 * recording session mostly audio: about 70% images, 20% video, 10% audio in all. One asset in 33
 * has a second path (a copy in the folder's {@code selects/}), one path in 100 is deleted, one asset in 3 has
 * what an AI describer says (style, summary, tags from 3,000 words, mood).
 *
 * <p>Vectors are clustered as real embeddings are: 200 themes, each shoot near its theme, each asset
 * near its shoot, normalized to length 1 (cosine similarity about 0.8 within a shoot, 0.5 within a
 * theme, 0 across).
 */
final class SyntheticCatalog {
    static final int DIMENSION = 384;
    static final int SHOOT = 50;
    private static final int THEMES = 200;
    private static final long SEED = 20_26_11;
    private static final List<String> PLACES = List.of("lisbon", "porto", "coast", "alps", "berlin", "harbour",
            "desert", "forest", "studio", "rooftop", "market", "lake", "village", "stadium", "airport", "beach");
    private static final List<String> EVENTS = List.of("wedding", "birthday", "roadtrip", "concert", "portraits",
            "product shoot", "interview", "drone survey", "hike", "festival", "conference", "family visit");
    private static final List<String> CLIENTS = List.of("ACME", "BLUEFIN", "NORTHWIND", "KESTREL", "ORBIT",
            "LUMEN", "TALLSHIP", "VERDANT", "HALCYON", "QUARRY");
    private static final List<String> STYLES = List.of("documentary", "cinematic", "candid", "studio", "aerial",
            "vlog", "corporate", "travel");
    private static final List<String> MOODS = List.of("calm", "joyful", "tense", "warm", "melancholic", "energetic");
    private static final List<String> CAMERAS = List.of("Canon|EOS R5|RF24-70mm F2.8 L IS USM",
            "SONY|ILCE-7M4|FE 24-105mm F4 G OSS", "FUJIFILM|X-T5|XF16-55mmF2.8 R LM WR", "DJI|FC3582|",
            "Apple|iPhone 15 Pro|iPhone 15 Pro back triple camera 6.86mm f/1.78", "NIKON CORPORATION|NIKON Z 6_2|");
    private static final String[] TAG_WORDS = tagWords();

    /** The kind of files a shoot holds. */
    enum Kind { PHOTO, VIDEO, AUDIO }

    /** One asset and its (first) path. */
    record Asset(int number, String id, String sourceRoot, String relPath, String jobId, String mediaType,
            String extension, long sizeBytes, long mtimeNs, Integer width, Integer height, Double durationSeconds,
            Double fps, Integer hasAudio, String camera, String capturedAt, String style, String summary,
            String tagsJson, String moodJson, String indexedAt, String copyRelPath, boolean deleted) {

        String fileName() {
            return relPath.substring(relPath.lastIndexOf('/') + 1);
        }

        String shownPath() {
            return sourceRoot + "/" + relPath;
        }

        /** What the embed analyzer would have embedded. */
        String embedSource() {
            String stem = fileName().substring(0, fileName().lastIndexOf('.'));
            String folder = relPath.substring(0, relPath.lastIndexOf('/'));
            StringBuilder text = new StringBuilder(SearchWords.words(stem)).append(". ")
                    .append(SearchWords.words(folder)).append(". ");
            if (jobId != null) {
                text.append("job ").append(jobId).append(". ");
            }
            text.append(width == null ? "" : width >= height ? "landscape " : "portrait ").append(mediaType);
            if (durationSeconds != null) {
                text.append(". ").append(Math.round(durationSeconds)).append(" seconds long");
            }
            if (camera != null) {
                text.append(". shot on ").append(camera.split("\\|")[0]).append(' ').append(camera.split("\\|")[1]);
            }
            if (summary != null) {
                text.append(". ").append(summary);
            }
            return text.toString();
        }
    }

    private final int count;
    private final float[][] themes = new float[THEMES][];

    SyntheticCatalog(int count) {
        this.count = count;
        SplittableRandom random = new SplittableRandom(SEED);
        for (int t = 0; t < THEMES; t++) {
            themes[t] = gaussian(random, 1.0);
        }
    }

    int count() {
        return count;
    }

    static String id(int number) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("synthetic-asset-" + number).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Asset asset(int number) {
        int shoot = number / SHOOT;
        SplittableRandom shootRandom = new SplittableRandom(SEED * 31 + shoot);
        SplittableRandom random = new SplittableRandom(SEED * 17 + number);
        Kind kind = shoot % 10 < 7 ? Kind.PHOTO : shoot % 10 < 9 ? Kind.VIDEO : Kind.AUDIO;
        int year = 2019 + shootRandom.nextInt(8);
        ZonedDateTime day = ZonedDateTime.of(year, 1 + shootRandom.nextInt(12), 1 + shootRandom.nextInt(28), 9, 0, 0, 0,
                ZoneOffset.UTC);
        String place = PLACES.get(shootRandom.nextInt(PLACES.size()));
        String event = EVENTS.get(shootRandom.nextInt(EVENTS.size()));
        boolean pool = shoot % 5 < 3;
        String jobId = pool ? null : CLIENTS.get(shoot % CLIENTS.size()) + "-" + String.format("%03d", shoot / 20 % 1000);
        String mediaType = mediaType(kind, random.nextInt(10));
        String camera = mediaType.equals("audio") ? null : CAMERAS.get(shootRandom.nextInt(CAMERAS.size()));
        int inShoot = number % SHOOT;
        String extension = extension(mediaType, camera, random);
        String name = fileName(mediaType, camera, shoot, inShoot, extension);
        String folder = pool
                ? year + "/" + day.toLocalDate() + " " + place + " " + event + "/card " + shoot / 200
                : jobId + "/" + (mediaType.equals("image") ? "stills" : mediaType.equals("video") ? "footage" : "audio")
                        + "/day" + (1 + inShoot / 20);
        long sizeBytes = switch (mediaType) {
            case "image" -> 2_000_000 + random.nextInt(28_000_000);
            case "video" -> 50_000_000 + (long) random.nextInt(2_000_000_000);
            default -> 1_000_000 + random.nextInt(150_000_000);
        };
        Instant shot = day.toInstant().plusSeconds(inShoot * 37L + random.nextInt(30));
        long mtimeNs = shot.plusSeconds(3600).toEpochMilli() * 1_000_000L;
        Integer width = null;
        Integer height = null;
        Double duration = null;
        Double fps = null;
        Integer hasAudio = null;
        if (mediaType.equals("image")) {
            boolean portrait = random.nextInt(4) == 0;
            width = portrait ? 4000 : 6000;
            height = portrait ? 6000 : 4000;
        } else if (mediaType.equals("video")) {
            boolean uhd = random.nextBoolean();
            width = uhd ? 3840 : 1920;
            height = uhd ? 2160 : 1080;
            duration = 3 + random.nextInt(600) + random.nextInt(1000) / 1000.0;
            fps = random.nextBoolean() ? 25.0 : 29.97;
            hasAudio = random.nextInt(5) == 0 ? 0 : 1;
        } else {
            duration = 2 + random.nextInt(1800) + random.nextInt(1000) / 1000.0;
            hasAudio = 1;
        }
        boolean described = random.nextInt(3) == 0;
        String style = described ? STYLES.get(random.nextInt(STYLES.size())) : null;
        String summary = described ? "A " + mediaType + " of a " + event + " at the " + place : null;
        String tags = described ? tags(random) : null;
        String mood = described ? "[\"" + MOODS.get(random.nextInt(MOODS.size())) + "\"]" : null;
        String copy = random.nextInt(33) == 0 ? folder + "/selects/" + name : null;
        boolean deleted = random.nextInt(100) == 0;
        String indexedAt = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(number * 7L).toString();
        return new Asset(number, id(number), pool ? "raw_assets" : "jobs", folder + "/" + name, jobId, mediaType,
                extension, sizeBytes, mtimeNs, width, height, duration, fps, hasAudio, camera,
                camera == null ? null : shot.toString(), style, summary, tags, mood, indexedAt, copy, deleted);
    }

    /** The asset's vector: near its shoot's centre, which is near its theme's. */
    float[] vector(int number) {
        int shoot = number / SHOOT;
        float[] theme = themes[shoot % THEMES];
        float[] centre = gaussian(new SplittableRandom(SEED * 7 + shoot), 0.9);
        float[] noise = gaussian(new SplittableRandom(SEED * 13 + number), 0.6);
        float[] vector = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = theme[i] + centre[i] + noise[i];
        }
        return normalized(vector);
    }

    /** A query: near a random asset's shoot (as a search for what is there), or anywhere (as a vague one). */
    float[] query(SplittableRandom random) {
        if (random.nextBoolean()) {
            float[] near = vector(random.nextInt(count));
            float[] noise = gaussian(random, 0.8);
            for (int i = 0; i < DIMENSION; i++) {
                near[i] += noise[i];
            }
            return normalized(near);
        }
        return normalized(gaussian(random, 1.0));
    }

    private static String mediaType(Kind kind, int roll) {
        return switch (kind) {
            case PHOTO -> roll < 9 ? "image" : "video";
            case VIDEO -> roll < 6 ? "video" : roll < 8 ? "audio" : "image";
            case AUDIO -> roll < 9 ? "audio" : "image";
        };
    }

    private static String extension(String mediaType, String camera, SplittableRandom random) {
        return switch (mediaType) {
            case "image" -> camera.startsWith("Apple") ? "HEIC" : camera.startsWith("Canon") && random.nextBoolean()
                    ? "CR3" : camera.startsWith("NIKON") ? "NEF" : "JPG";
            case "video" -> camera.startsWith("DJI") ? "MP4" : camera.startsWith("SONY") ? "MP4" : "mov";
            default -> random.nextInt(3) == 0 ? "mp3" : "WAV";
        };
    }

    private static String fileName(String mediaType, String camera, int shoot, int inShoot, String extension) {
        int n = (shoot * SHOOT + inShoot) % 10_000;
        if (mediaType.equals("audio")) {
            return extension.equals("mp3") ? "New Recording " + n + "." + extension
                    : String.format("ZOOM%04d.%s", n, extension);
        }
        if (camera.startsWith("DJI")) {
            return String.format("DJI_%04d.%s", n, extension);
        }
        if (camera.startsWith("SONY")) {
            return mediaType.equals("video") ? String.format("C%04d.%s", n, extension)
                    : String.format("DSC%05d.%s", n, extension);
        }
        if (camera.startsWith("Canon")) {
            return mediaType.equals("video") ? String.format("MVI_%04d.%s", n, extension)
                    : String.format("_MG_%04d.%s", n, extension);
        }
        if (camera.startsWith("NIKON")) {
            return String.format("DSC_%04d.%s", n, extension);
        }
        return String.format("IMG_%04d.%s", n, extension);
    }

    private static String tags(SplittableRandom random) {
        int count = 3 + random.nextInt(6);
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            // a few words are on far more assets than most, as real tags are
            int word = (int) Math.min(TAG_WORDS.length - 1, Math.abs(random.nextGaussian()) * 300);
            json.append(i == 0 ? "" : ", ").append('"').append(TAG_WORDS[word]).append('"');
        }
        return json.append(']').toString();
    }

    private static String[] tagWords() {
        String[] words = new String[3000];
        String[] roots = {"beach", "sea", "sky", "crowd", "car", "tree", "dog", "city", "night", "sun", "snow", "boat",
            "bride", "stage", "food", "mountain", "river", "bridge", "street", "portrait"};
        for (int i = 0; i < words.length; i++) {
            words[i] = i < roots.length ? roots[i] : roots[i % roots.length] + (i / roots.length);
        }
        return words;
    }

    private static float[] gaussian(SplittableRandom random, double scale) {
        float[] vector = new float[DIMENSION];
        for (int i = 0; i < DIMENSION; i++) {
            vector[i] = (float) (random.nextGaussian() * scale / Math.sqrt(DIMENSION));
        }
        return vector;
    }

    private static float[] normalized(float[] vector) {
        double sum = 0;
        for (float value : vector) {
            sum += (double) value * value;
        }
        float norm = (float) Math.sqrt(sum);
        for (int i = 0; i < vector.length; i++) {
            vector[i] /= norm;
        }
        return vector;
    }
}
