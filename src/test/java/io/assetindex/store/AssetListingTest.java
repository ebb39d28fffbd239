package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.assetindex.MediaType;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link IndexReader#list}: every order, ties, unknown capture times, every filter with paging,
 * totals and facets, deleted paths, and the query plans that keep a page cheap in a large index. Assets are
 * written with SQL into a real index, so each test states exactly the rows it lists.
 */
class AssetListingTest {
    private static final String T0 = "2026-01-01T10:00:00.000Z";

    @TempDir
    Path dir;

    private IndexDatabase database;
    private IndexReader reader;
    private int nextPathId;

    private void open() {
        database = IndexDatabase.open(dir.resolve("index.db"), 2, Clock.systemUTC());
        reader = new IndexReader(database);
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
        }
    }

    /** An asset row; fields left null are unknown. */
    private static final class Asset {
        final String id;
        String fileName;
        String mediaType = "image";
        long sizeBytes = 1000;
        Double duration;
        Integer width = 100;
        Integer height = 100;
        String indexedAt = T0;
        String rawJson = "{\"probe\": {}}";
        String tags;
        String mood;
        String audioRole;
        String root = "raw_assets";
        String job;
        final List<String> livePaths = new ArrayList<>();
        final List<String> deletedPaths = new ArrayList<>();

        Asset(int n, String fileName) {
            this.id = "%064x".formatted(n);
            this.fileName = fileName;
            livePaths.add("misc/" + fileName);
        }
    }

    private Asset asset(int n, String fileName) {
        return new Asset(n, fileName);
    }

    private void write(Asset... assets) {
        database.write(c -> {
            for (Asset a : assets) {
                insert(c, a);
            }
            return null;
        });
    }

    private void insert(Connection c, Asset a) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO assets (id, file_name, file_path, source_root,"
                + " job_id, media_type, size_bytes, mtime, width, height, duration_seconds, raw_json, indexed_at,"
                + " tags_json, mood_json, audio_role) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            Object[] values = {a.id, a.fileName, "/m/" + a.fileName, a.root, a.job, a.mediaType, a.sizeBytes, a.width,
                    a.height, a.duration, a.rawJson, a.indexedAt, a.tags, a.mood, a.audioRole};
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
        }
        for (String path : a.livePaths) {
            insertPath(c, a, path, null);
        }
        for (String path : a.deletedPaths) {
            insertPath(c, a, path, T0);
        }
    }

    private void insertPath(Connection c, Asset a, String relPath, String deletedAt) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO asset_paths (id, asset_id, source_root, rel_path,"
                + " abs_path, job_id, size_bytes, mtime_ns, first_seen_at, last_seen_at, deleted_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?)")) {
            Object[] values = {++nextPathId, a.id, a.root, relPath, "/m/" + a.root + "/" + relPath, a.job,
                    a.sizeBytes, T0, T0, deletedAt};
            for (int i = 0; i < values.length; i++) {
                insert.setObject(i + 1, values[i]);
            }
            insert.executeUpdate();
        }
    }

    private static List<String> names(AssetPage page) {
        return page.assets().stream().map(ListedAsset::fileName).toList();
    }

    private List<String> names(SearchFilter filter, AssetSort sort) {
        return names(reader.list(filter, sort, AssetPage.MAX_LIMIT, 0));
    }

    /** Every page of {@code size}, one after the other: what a person paging through sees. */
    private List<String> paged(SearchFilter filter, AssetSort sort, int size) {
        List<String> all = new ArrayList<>();
        for (int offset = 0; ; offset += size) {
            AssetPage page = reader.list(filter, sort, size, offset);
            all.addAll(names(page));
            if (page.assets().size() < size) {
                return all;
            }
        }
    }

    private static SearchFilter filter(MediaType type, Double minDuration, Double maxDuration, Integer minWidth,
            Integer minHeight, String root, String job, List<String> tags, String path, String audioRole) {
        return new SearchFilter(type, minDuration, maxDuration, minWidth, minHeight, root, job, tags, path, audioRole,
                null);
    }

    @Test
    void newestIsIndexedAtDescendingWithTiesByIdAndPagesNeitherSkipNorRepeat() {
        open();
        Asset early = asset(1, "early.jpg");
        early.indexedAt = "2026-01-01T09:00:00.000Z";
        Asset late = asset(2, "late.jpg");
        late.indexedAt = "2026-01-01T11:00:00.000Z";
        List<Asset> ties = new ArrayList<>();
        for (int n = 10; n < 17; n++) {
            ties.add(asset(n, "tie" + n + ".jpg")); // all indexed at T0, in the same second
        }
        write(early, late);
        write(ties.toArray(Asset[]::new));

        List<String> newest = names(SearchFilter.NONE, AssetSort.NEWEST);
        assertThat(newest).containsExactly("late.jpg", "tie16.jpg", "tie15.jpg", "tie14.jpg", "tie13.jpg", "tie12.jpg",
                "tie11.jpg", "tie10.jpg", "early.jpg");
        List<String> oldest = new ArrayList<>(newest);
        Collections.reverse(oldest);
        assertThat(names(SearchFilter.NONE, AssetSort.OLDEST)).containsExactlyElementsOf(oldest);
        for (int size = 1; size <= 4; size++) {
            assertThat(paged(SearchFilter.NONE, AssetSort.NEWEST, size)).as("pages of %d", size).isEqualTo(newest);
        }
        AssetPage second = reader.list(SearchFilter.NONE, AssetSort.DEFAULT, 3, 3);
        assertThat(second.total()).isEqualTo(9);
        assertThat(names(second)).containsExactly("tie14.jpg", "tie13.jpg", "tie12.jpg");
        assertThat(second.rank(0)).isEqualTo(4);
        assertThat(reader.list(SearchFilter.NONE, AssetSort.DEFAULT, 3, 9).assets()).isEmpty();
        assertThat(reader.list(SearchFilter.NONE, AssetSort.DEFAULT, 3, 9).total()).isEqualTo(9);
    }

    @Test
    void capturedIsCaptureTimeDescendingWithOffsetsAppliedAndUnknownTimesLastById() {
        open();
        Asset local = asset(1, "local_noon.jpg");
        local.rawJson = "{\"probe\": {\"captured_at\": \"2024-05-01T12:00\"}}"; // no zone: as written
        Asset offset = asset(2, "paris_noon.jpg");
        offset.rawJson = "{\"probe\": {\"captured_at\": \"2024-05-01T12:00:00+02:00\"}}"; // 10:00 UTC
        Asset video = asset(3, "clip.mp4");
        video.mediaType = "video";
        video.rawJson = "{\"probe\": {\"created_at\": \"2024-05-01T11:00:00.000000Z\", \"captured_at\": null}}";
        Asset sameTime = asset(4, "paris_noon_copy.jpg");
        sameTime.rawJson = offset.rawJson;
        Asset older = asset(5, "old.jpg");
        older.rawJson = "{\"probe\": {\"captured_at\": \"1999-12-31T23:59:59\"}}";
        Asset none = asset(6, "none.jpg");
        Asset damaged = asset(7, "damaged.jpg");
        damaged.rawJson = "{\"probe\": {\"captured_at\": \"2030-01-01T00:00"; // not JSON: written all the same
        Asset number = asset(8, "number.jpg");
        number.rawJson = "{\"probe\": {\"captured_at\": 20300101}}";
        Asset julian = asset(9, "julian.jpg");
        julian.rawJson = "{\"probe\": {\"captured_at\": \"2460000\"}}"; // SQLite would read a Julian day
        Asset garbage = asset(10, "garbage.jpg");
        garbage.rawJson = "{\"probe\": {\"captured_at\": \"0000-00-00T00:00:00\"}}";
        Asset noProbe = asset(11, "no_probe.jpg");
        noProbe.rawJson = null;
        write(local, offset, video, sameTime, older, none, damaged, number, julian, garbage, noProbe);

        AssetPage page = reader.list(SearchFilter.NONE, AssetSort.CAPTURED, 100, 0);
        assertThat(names(page)).containsExactly("local_noon.jpg", "clip.mp4", "paris_noon_copy.jpg", "paris_noon.jpg",
                "old.jpg", "no_probe.jpg", "garbage.jpg", "julian.jpg", "number.jpg", "damaged.jpg", "none.jpg");
        assertThat(page.assets()).extracting(ListedAsset::capturedAt).containsExactly("2024-05-01T12:00",
                "2024-05-01T11:00:00.000000Z", "2024-05-01T12:00:00+02:00", "2024-05-01T12:00:00+02:00",
                "1999-12-31T23:59:59", null, null, null, null, null, null);
        assertThat(paged(SearchFilter.NONE, AssetSort.CAPTURED, 2)).isEqualTo(names(page));
    }

    @Test
    void nameIgnoresCaseAndBreaksTiesById() {
        open();
        write(asset(1, "b.jpg"), asset(2, "a.jpg"), asset(3, "C.jpg"), asset(4, "A.jpg"), asset(5, "_z.jpg"));

        assertThat(names(SearchFilter.NONE, AssetSort.NAME)).containsExactly("_z.jpg", "a.jpg", "A.jpg", "b.jpg", "C.jpg");
        assertThat(paged(SearchFilter.NONE, AssetSort.NAME, 2)).isEqualTo(names(SearchFilter.NONE, AssetSort.NAME));
    }

    @Test
    void sizeIsLargestFirstAndDurationLongestFirstWithoutDurationLast() {
        open();
        Asset small = asset(1, "small.jpg");
        small.sizeBytes = 10;
        Asset big = asset(2, "big.jpg");
        big.sizeBytes = 5000;
        Asset bigToo = asset(3, "big_too.jpg");
        bigToo.sizeBytes = 5000;
        Asset shortClip = asset(4, "short.mp4");
        shortClip.mediaType = "video";
        shortClip.duration = 1.5;
        Asset longSong = asset(5, "long.wav");
        longSong.mediaType = "audio";
        longSong.duration = 300.0;
        Asset sameLength = asset(6, "same.wav");
        sameLength.mediaType = "audio";
        sameLength.duration = 300.0;
        write(small, big, bigToo, shortClip, longSong, sameLength);

        assertThat(names(SearchFilter.NONE, AssetSort.SIZE))
                .containsExactly("big_too.jpg", "big.jpg", "same.wav", "long.wav", "short.mp4", "small.jpg");
        assertThat(names(SearchFilter.NONE, AssetSort.DURATION))
                .containsExactly("same.wav", "long.wav", "short.mp4", "big_too.jpg", "big.jpg", "small.jpg");
        for (AssetSort sort : List.of(AssetSort.SIZE, AssetSort.DURATION)) {
            assertThat(paged(SearchFilter.NONE, sort, 4)).isEqualTo(names(SearchFilter.NONE, sort));
        }
    }

    /** A small index where each filter keeps a known set of assets. */
    private void writeAVariedIndex() {
        Asset photo = asset(1, "beach.jpg");
        photo.width = 4000;
        photo.height = 3000;
        photo.tags = "[\"Sea\", \"sand\"]";
        photo.indexedAt = "2026-01-01T10:00:01.000Z";
        Asset portrait = asset(2, "portrait.jpg");
        portrait.width = 1080;
        portrait.height = 1920;
        portrait.mood = "[\"calm\"]";
        portrait.indexedAt = "2026-01-01T10:00:02.000Z";
        Asset clip = asset(3, "drone.mp4");
        clip.mediaType = "video";
        clip.duration = 12.0;
        clip.width = 1920;
        clip.height = 1080;
        clip.audioRole = "background_music";
        clip.root = "jobs";
        clip.job = "ACME-042";
        clip.livePaths.set(0, "ACME-042/footage/drone.mp4");
        clip.indexedAt = "2026-01-01T10:00:03.000Z";
        Asset voice = asset(4, "voice.wav");
        voice.mediaType = "audio";
        voice.duration = 45.0;
        voice.width = null;
        voice.height = null;
        voice.audioRole = "voice_over";
        voice.root = "jobs";
        voice.job = "ACME-042";
        voice.livePaths.set(0, "ACME-042/audio/voice.wav");
        voice.indexedAt = "2026-01-01T10:00:04.000Z";
        Asset song = asset(5, "song.wav");
        song.mediaType = "audio";
        song.duration = 200.0;
        song.width = null;
        song.height = null;
        song.audioRole = "background_music";
        song.tags = "[\"piano\"]";
        song.indexedAt = "2026-01-01T10:00:05.000Z";
        Asset other = asset(6, "other_job.mp4");
        other.mediaType = "video";
        other.duration = 3.0;
        other.root = "jobs";
        other.job = "BETA-7";
        other.livePaths.set(0, "BETA-7/other_job.mp4");
        other.indexedAt = "2026-01-01T10:00:06.000Z";
        write(photo, portrait, clip, voice, song, other);
    }

    @Test
    void everyFilterKeepsItsAssetsOnEveryPageAndTheTotalCountsThemAll() {
        open();
        writeAVariedIndex();
        Map<SearchFilter, List<String>> expected = Map.ofEntries(
                Map.entry(SearchFilter.NONE, List.of("other_job.mp4", "song.wav", "voice.wav", "drone.mp4",
                        "portrait.jpg", "beach.jpg")),
                Map.entry(filter(MediaType.AUDIO, null, null, null, null, null, null, null, null, null),
                        List.of("song.wav", "voice.wav")),
                Map.entry(filter(null, 10.0, null, null, null, null, null, null, null, null),
                        List.of("song.wav", "voice.wav", "drone.mp4")),
                Map.entry(filter(null, null, 45.0, null, null, null, null, null, null, null),
                        List.of("other_job.mp4", "voice.wav", "drone.mp4")),
                Map.entry(filter(null, 5.0, 100.0, null, null, null, null, null, null, null),
                        List.of("voice.wav", "drone.mp4")),
                Map.entry(filter(null, null, null, 1900, null, null, null, null, null, null),
                        List.of("drone.mp4", "beach.jpg")),
                Map.entry(filter(null, null, null, null, 1900, null, null, null, null, null),
                        List.of("portrait.jpg", "beach.jpg")),
                Map.entry(filter(null, null, null, null, null, "jobs", null, null, null, null),
                        List.of("other_job.mp4", "voice.wav", "drone.mp4")),
                Map.entry(filter(null, null, null, null, null, null, "ACME-042", null, null, null),
                        List.of("voice.wav", "drone.mp4")),
                Map.entry(filter(MediaType.VIDEO, null, null, null, null, "jobs", "ACME-042", null, null, null),
                        List.of("drone.mp4")),
                Map.entry(filter(null, null, null, null, null, null, null, List.of("SEA", "calm"), null, null),
                        List.of("portrait.jpg", "beach.jpg")),
                Map.entry(filter(null, null, null, null, null, null, null, null, "acme-042/AUDIO", null),
                        List.of("voice.wav")),
                Map.entry(filter(null, null, null, null, null, null, null, null, "raw_assets/misc/", null),
                        List.of("song.wav", "portrait.jpg", "beach.jpg")),
                Map.entry(filter(null, null, null, null, null, null, null, null, null, "background_music"),
                        List.of("song.wav", "drone.mp4")),
                Map.entry(filter(MediaType.IMAGE, null, null, null, null, "jobs", null, null, null, null), List.of()));
        expected.forEach((filter, names) -> {
            for (int size = 1; size <= 3; size++) {
                assertThat(paged(filter, AssetSort.NEWEST, size)).as("%s, pages of %d", filter, size)
                        .containsExactlyElementsOf(names);
                assertThat(reader.list(filter, AssetSort.NEWEST, size, 0).total()).as("%s", filter)
                        .isEqualTo(names.size());
            }
            assertThat(paged(filter, AssetSort.NAME, 2)).as("%s by name", filter)
                    .containsExactlyElementsOf(names.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList());
        });
    }

    @Test
    void deletedPathsAreNeverListedMatchedOrCounted() {
        open();
        Asset gone = asset(1, "gone.jpg");
        gone.deletedPaths.add(gone.livePaths.remove(0));
        Asset moved = asset(2, "moved.jpg");
        moved.livePaths.set(0, "new/moved.jpg");
        moved.deletedPaths.add("old/moved.jpg");
        Asset jobGone = asset(3, "job_gone.mp4");
        jobGone.root = "jobs";
        jobGone.job = "ACME-042";
        jobGone.livePaths.clear();
        jobGone.deletedPaths.add("ACME-042/job_gone.mp4");
        write(gone, moved, jobGone);

        AssetPage page = reader.list(SearchFilter.NONE, AssetSort.NEWEST, 10, 0);
        assertThat(page.total()).isEqualTo(1);
        assertThat(page.assets()).singleElement().satisfies(asset -> {
            assertThat(asset.fileName()).isEqualTo("moved.jpg");
            assertThat(asset.paths()).containsExactly("raw_assets/new/moved.jpg");
        });
        SearchFilter oldPath = filter(null, null, null, null, null, null, null, null, "old/", null);
        assertThat(reader.list(oldPath, AssetSort.NEWEST, 10, 0).total()).isZero();
        assertThat(reader.list(oldPath, AssetSort.NEWEST, 10, 0).assets()).isEmpty();
        SearchFilter job = filter(MediaType.VIDEO, null, null, null, null, null, "ACME-042", null, null, null);
        assertThat(reader.list(job, AssetSort.NEWEST, 10, 0).total()).isZero();
    }

    private static AssetFacets.Count count(String value, long count) {
        return new AssetFacets.Count(value, count);
    }

    @Test
    void facetsCountEveryMatchingAssetNotOnlyThePageByTypeWatchPathJobAndTag() {
        open();
        writeAVariedIndex();

        AssetPage first = reader.list(SearchFilter.NONE, AssetSort.NEWEST, 1, 0);
        assertThat(first.assets()).hasSize(1);
        assertThat(first.total()).isEqualTo(6);
        assertThat(first.facets()).isEqualTo(new AssetFacets(
                List.of(count("audio", 2), count("image", 2), count("video", 2)),
                List.of(count("jobs", 3), count("raw_assets", 3)),
                List.of(count("ACME-042", 2), count("BETA-7", 1)),
                List.of(count("piano", 1), count("sand", 1), count("sea", 1))));
        assertThat(reader.list(SearchFilter.NONE, AssetSort.NAME, 2, 4).facets()).as("any page, any order")
                .isEqualTo(first.facets());

        AssetFacets audio = reader.list(filter(MediaType.AUDIO, null, null, null, null, null, null, null, null, null),
                AssetSort.NEWEST, 1, 0).facets();
        assertThat(audio).isEqualTo(new AssetFacets(List.of(count("audio", 2)),
                List.of(count("jobs", 1), count("raw_assets", 1)), List.of(count("ACME-042", 1)),
                List.of(count("piano", 1))));
        AssetFacets inJobs = reader.list(filter(null, null, null, null, null, "jobs", null, null, null, null),
                AssetSort.NEWEST, 1, 0).facets();
        assertThat(inJobs.mediaTypes()).containsExactly(count("video", 2), count("audio", 1));
        assertThat(inJobs.roots()).containsExactly(count("jobs", 3));
        assertThat(inJobs.tags()).isEmpty();
        AssetFacets none = reader.list(filter(MediaType.IMAGE, null, null, null, null, "jobs", null, null, null, null),
                AssetSort.NEWEST, 1, 0).facets();
        assertThat(none).isEqualTo(new AssetFacets(List.of(), List.of(), List.of(), List.of()));
        assertThat(none.total()).isZero();
    }

    @Test
    void eachFacetValueAsAFilterListsAsManyAssetsAsItsCount() {
        open();
        writeAVariedIndex();
        Asset copied = asset(7, "copied.jpg"); // under both watch paths, one of its paths in a job
        copied.livePaths.add("copies/copied.jpg");
        copied.tags = "[\"Sand\"]";
        write(copied);
        database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, job_id, size_bytes,"
                        + " mtime_ns, first_seen_at, last_seen_at) VALUES ('" + copied.id + "', 'jobs',"
                        + " 'BETA-7/copied.jpg', '/m/jobs/BETA-7/copied.jpg', 'BETA-7', 1, 0, '" + T0 + "',"
                        + " '" + T0 + "')");
            }
            return null;
        });

        for (SearchFilter base : List.of(SearchFilter.NONE,
                filter(null, null, null, null, null, null, null, null, "misc/", null),
                filter(null, 1.0, null, null, null, null, null, null, null, null))) {
            AssetFacets facets = reader.list(base, AssetSort.NEWEST, 1, 0).facets();
            for (AssetFacets.Count type : facets.mediaTypes()) {
                assertThat(total(base, MediaType.fromId(type.value()), null, null, null)).as("%s", type)
                        .isEqualTo(type.count());
            }
            for (AssetFacets.Count root : facets.roots()) {
                assertThat(total(base, null, root.value(), null, null)).as("%s", root).isEqualTo(root.count());
            }
            for (AssetFacets.Count job : facets.jobs()) {
                assertThat(total(base, null, null, job.value(), null)).as("%s", job).isEqualTo(job.count());
            }
            for (AssetFacets.Count tag : facets.tags()) { // no mood holds these words, so the tag filter finds the same
                assertThat(total(base, null, null, null, tag.value())).as("%s", tag).isEqualTo(tag.count());
            }
        }
        AssetFacets all = reader.list(SearchFilter.NONE, AssetSort.NEWEST, 1, 0).facets();
        assertThat(all.roots()).containsExactly(count("jobs", 4), count("raw_assets", 4));
        assertThat(all.jobs()).containsExactly(count("ACME-042", 2), count("BETA-7", 2));
        assertThat(all.tags()).containsExactly(count("sand", 2), count("piano", 1), count("sea", 1));
        AssetFacets inMisc = reader.list(filter(null, null, null, null, null, null, null, null, "misc/", null),
                AssetSort.NEWEST, 1, 0).facets();
        assertThat(inMisc.roots()).as("only the paths that match count").containsExactly(count("raw_assets", 4));
        assertThat(inMisc.jobs()).isEmpty();
    }

    /** How many assets {@code base} lists with one more condition (each null: none). */
    private long total(SearchFilter base, MediaType type, String root, String job, String tag) {
        SearchFilter narrower = new SearchFilter(type != null ? type : base.mediaType(), base.minDurationSeconds(),
                base.maxDurationSeconds(), base.minWidth(), base.minHeight(), root != null ? root : base.sourceRoot(),
                job != null ? job : base.jobId(), tag != null ? List.of(tag) : base.anyTags(), base.pathContains(),
                base.audioRole(), base.folder());
        return reader.list(narrower, AssetSort.NEWEST, 1, 0).total();
    }

    @Test
    void facetsNeverCountADeletedPathAndCountCopiesOnce() {
        open();
        Asset gone = asset(1, "gone.jpg");
        gone.tags = "[\"lost\"]";
        gone.deletedPaths.add(gone.livePaths.remove(0));
        Asset moved = asset(2, "moved.mp4");
        moved.mediaType = "video";
        moved.root = "jobs";
        moved.job = "ACME-042";
        moved.livePaths.set(0, "ACME-042/new/moved.mp4");
        moved.livePaths.add("ACME-042/copy/moved.mp4");
        moved.deletedPaths.add("ACME-042/old/moved.mp4");
        Asset left = asset(3, "left.jpg"); // its job's only path is deleted; a copy in the pool is live
        left.root = "jobs";
        left.job = "BETA-7";
        left.livePaths.clear();
        left.deletedPaths.add("BETA-7/left.jpg");
        write(gone, moved, left);
        database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes, mtime_ns,"
                        + " first_seen_at, last_seen_at) VALUES ('" + left.id + "', 'raw_assets', 'pool/left.jpg',"
                        + " '/m/raw_assets/pool/left.jpg', 1, 0, '" + T0 + "', '" + T0 + "')");
            }
            return null;
        });

        AssetPage page = reader.list(SearchFilter.NONE, AssetSort.NEWEST, 10, 0);
        assertThat(page.total()).isEqualTo(2);
        assertThat(page.facets()).isEqualTo(new AssetFacets(List.of(count("image", 1), count("video", 1)),
                List.of(count("jobs", 1), count("raw_assets", 1)), List.of(count("ACME-042", 1)), List.of()));
        assertThat(reader.list(filter(null, null, null, null, null, null, "BETA-7", null, null, null), AssetSort.NEWEST,
                10, 0).facets().total()).isZero();
    }

    @Test
    void tagsAreCountedInLowerCaseOncePerAssetAndOnlyTheThirtyOnMostAssetsAreKept() {
        open();
        List<Asset> assets = new ArrayList<>();
        String[] tags = {
            "[\"Sea\", \"sea\", \"SEA\", \"Beach\"]", // one asset: sea once
            "[\"sea\", \"\", 3, [\"beach\"], {\"a\": \"beach\"}, \"caf\\u00e9\", \"a \\\"quote\\\"\"]",
            " [ \"SEA\" ,\"\u00c9t\u00e9\"\n] ", // SQLite's lower() leaves É as it is
            "not json", "[\"beach\", \"cut short\"", "{\"tags\": [\"beach\"]}", "\"beach\"", null};
        for (int i = 0; i < tags.length; i++) {
            Asset asset = asset(i + 1, "a" + i + ".jpg");
            asset.tags = tags[i];
            assets.add(asset);
        }
        for (int i = 0; i < 33; i++) { // 33 words on one asset each: 30 of them make the list, by name
            Asset asset = asset(100 + i, "w" + i + ".jpg");
            asset.tags = "[\"w%02d\"]".formatted(32 - i);
            assets.add(asset);
        }
        write(assets.toArray(Asset[]::new));

        List<AssetFacets.Count> counted = reader.list(SearchFilter.NONE, AssetSort.NEWEST, 1, 0).facets().tags();
        assertThat(counted).hasSize(AssetFacets.TOP_TAGS);
        assertThat(counted.subList(0, 6)).containsExactly(count("sea", 3), count("a \"quote\"", 1),
                count("beach", 1), count("café", 1), count("w00", 1), count("w01", 1));
        assertThat(counted.get(counted.size() - 1)).isEqualTo(count("w25", 1));
        assertThat(reader.list(SearchFilter.NONE, AssetSort.NEWEST, 1, 0).total()).as("damaged tags still list")
                .isEqualTo(tags.length + 33);
        AssetFacets tagged = reader.list(filter(null, null, null, null, null, null, null, null, "a2.jpg", null),
                AssetSort.NEWEST, 1, 0).facets();
        assertThat(tagged.tags()).containsExactly(count("sea", 1), count("\u00c9t\u00e9", 1));
    }

    @Test
    void aFiltersFacetsAreRememberedUntilTheIndexChanges() {
        open();
        writeAVariedIndex();
        Map<String, Integer> counted = new java.util.HashMap<>();
        IndexReader.FacetCache cache = new IndexReader.FacetCache() {
            private final Map<String, AssetFacets> known = new java.util.HashMap<>();

            @Override
            public AssetFacets get(SearchFilter filter, FeedStamp seq) {
                return known.get(filter + "@" + seq);
            }

            @Override
            public void put(SearchFilter filter, FeedStamp seq, AssetFacets facets) {
                counted.merge(filter.toString(), 1, Integer::sum);
                known.put(filter + "@" + seq, facets);
            }
        };
        SearchFilter audio = filter(MediaType.AUDIO, null, null, null, null, null, null, null, null, null);
        for (int offset = 0; offset < 4; offset++) {
            reader.list(SearchFilter.NONE, AssetSort.NEWEST, 1, offset, cache);
            reader.list(audio, AssetSort.NAME, 1, offset, cache);
        }
        assertThat(counted).as("the unfiltered listing's facets are kept counted, never remembered")
                .containsOnly(Map.entry(audio.toString(), 1));

        Asset late = asset(9, "late.wav");
        late.mediaType = "audio";
        write(late);
        AssetPage after = reader.list(audio, AssetSort.NEWEST, 1, 0, cache);
        assertThat(counted.get(audio.toString())).isEqualTo(2);
        assertThat(after.total()).isEqualTo(3);
        assertThat(after.facets().mediaTypes()).containsExactly(count("audio", 3));
    }

    @Test
    void resultsCarryTheFactsOfASearchHitAndSizeIndexTimeAndCaptureTime() {
        open();
        Asset clip = asset(7, "drone.mp4");
        clip.mediaType = "video";
        clip.duration = 12.5;
        clip.width = 1920;
        clip.height = 1080;
        clip.sizeBytes = 123_456_789_012L;
        clip.tags = "[\"sea\", 3, \"sky\"]"; // a damaged row: the words that are words
        clip.mood = "not json";
        clip.livePaths.add("copies/drone.mp4");
        clip.indexedAt = "2026-03-04T05:06:07.089Z";
        clip.rawJson = "{\"probe\": {\"created_at\": \"2025-06-01T08:00:00.000000Z\"}}";
        write(clip);
        database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("UPDATE assets SET fps = 25, has_audio = 1, transcript = 'Waves.', style = 'aerial',"
                        + " summary = 'A drone over the sea', audio_role = 'sound_effect'");
            }
            return null;
        });

        ListedAsset listed = reader.list(SearchFilter.NONE, AssetSort.NEWEST, 1, 0).assets().get(0);
        assertThat(listed).isEqualTo(new ListedAsset(clip.id, "drone.mp4", MediaType.VIDEO, 1920, 1080, 12.5, 25.0,
                true, true, null, "aerial", "A drone over the sea", "sound_effect",
                List.of("raw_assets/copies/drone.mp4", "raw_assets/misc/drone.mp4"), List.of("sea", "sky"), List.of(),
                123_456_789_012L, java.time.Instant.parse("2026-03-04T05:06:07.089Z"), "2025-06-01T08:00:00.000000Z"));
    }

    @Test
    void aPageOutsideItsBoundsIsRefusedBeforeAnyQuery() {
        open();
        assertThatThrownBy(() -> reader.list(SearchFilter.NONE, AssetSort.NEWEST, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit must be 1 to 10000");
        assertThatThrownBy(() -> reader.list(SearchFilter.NONE, AssetSort.NEWEST, 10_001, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> reader.list(SearchFilter.NONE, AssetSort.NEWEST, 10, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(reader.list(SearchFilter.NONE, AssetSort.NEWEST, 10, Integer.MAX_VALUE).assets()).isEmpty();
    }

    @Test
    void aFilterOutsideItsRangeSaysWhichFieldAndWhatIsAllowed() {
        assertThatThrownBy(() -> filter(null, -1.0, null, null, null, null, null, null, null, null))
                .isInstanceOfSatisfying(SearchFilter.Invalid.class, e -> {
                    assertThat(e.field()).isEqualTo("min_duration");
                    assertThat(e.allowed()).isEqualTo("must be a number of seconds, 0 or more");
                });
        assertThatThrownBy(() -> filter(null, null, Double.NaN, null, null, null, null, null, null, null))
                .hasMessage("max_duration must be a number of seconds, 0 or more");
        assertThatThrownBy(() -> filter(null, null, Double.POSITIVE_INFINITY, null, null, null, null, null, null, null))
                .hasMessage("max_duration must be a number of seconds, 0 or more");
        assertThatThrownBy(() -> filter(null, 10.0, 5.0, null, null, null, null, null, null, null))
                .hasMessage("max_duration must not be less than the minimum duration (10.0)");
        assertThatThrownBy(() -> filter(null, null, null, -1, null, null, null, null, null, null))
                .hasMessage("min_width must be a number of pixels, 0 or more");
        assertThatThrownBy(() -> filter(null, null, null, null, -1, null, null, null, null, null))
                .hasMessage("min_height must be a number of pixels, 0 or more");
        List<String> tooMany = Collections.nCopies(SearchFilter.MAX_TAGS + 1, "x");
        assertThatThrownBy(() -> filter(null, null, null, null, null, null, null, tooMany, null, null))
                .hasMessage("tag may be given at most 100 times");
        assertThat(filter(null, null, null, null, null, null, null, tooMany.subList(0, 100), null, null).anyTags())
                .hasSize(100);
    }

    @Test
    void theMostTagsAFilterMayHoldStillMakeAQuerySqliteRuns() {
        open();
        Asset tagged = asset(1, "tagged.jpg");
        tagged.tags = "[\"t99\"]";
        write(tagged, asset(2, "plain.jpg"));
        List<String> tags = new ArrayList<>();
        for (int i = 0; i < SearchFilter.MAX_TAGS; i++) {
            tags.add("t" + i);
        }
        SearchFilter many = filter(null, null, null, null, null, null, null, tags, null, null);
        assertThat(names(many, AssetSort.NEWEST)).containsExactly("tagged.jpg");
        assertThat(reader.matching(many)).containsExactly(tagged.id);
    }

    @Test
    void aFilterThatFewPathsMatchSortsThoseAssetsAndListsWhatTheWalkOfTheSortsIndexLists() {
        open();
        writeAVariedIndex();
        ListRepository listing = new ListRepository();
        List<SearchFilter> filters = List.of(
                filter(null, null, null, null, null, null, "ACME-042", null, null, null),
                filter(MediaType.VIDEO, null, null, null, null, "jobs", "ACME-042", null, null, null),
                filter(null, null, null, null, null, "jobs", null, null, null, null),
                filter(null, 10.0, null, null, null, null, null, null, "acme-042/", null),
                filter(null, null, null, null, null, null, null, List.of("piano"), "raw_assets/misc/", null),
                new SearchFilter(null, null, null, null, null, "jobs", null, List.of(), null, null, "ACME-042"),
                filter(null, null, null, null, null, null, "NO-SUCH-JOB", null, null, null));
        for (SearchFilter filter : filters) {
            FilterSql sql = new FilterSql(filter);
            for (AssetSort sort : AssetSort.values()) {
                for (int offset = 0; offset <= 2; offset++) {
                    assertThat(ids(listing.fewPathsPageSql(sql, sort, Dialect.SQLITE), sql, 2, offset))
                            .as("%s, %s, offset %d", filter, sort, offset)
                            .containsExactlyElementsOf(ids(listing.pageSql(sql, sort, Dialect.SQLITE), sql, 2, offset));
                }
            }
        }
        assertThat(new FilterSql(images()).findsPathsByIndex()).isFalse();
        assertThat(new FilterSql(filter(null, null, null, null, null, null, null, null, "acme", null)).findsPathsByIndex())
                .as("part of the path is looked for in every path").isFalse();
        assertThat(new FilterSql(filters.get(0)).findsPathsByIndex()).isTrue();
    }

    /** The ids a page query returns, its filter's parameters bound, then the limit and the offset. */
    private List<String> ids(String pageSql, FilterSql sql, int limit, int offset) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement(pageSql)) {
                int next = sql.bindWhere(query, 1);
                query.setInt(next++, limit);
                query.setInt(next, offset);
                List<String> ids = new ArrayList<>();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    @Test
    void everyOrderReadsItsIndexInsteadOfSortingTheTable() {
        open();
        database.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)"
                        + " INSERT INTO assets (id, file_name, file_path, source_root, media_type, size_bytes, mtime,"
                        + " duration_seconds, raw_json, indexed_at) SELECT printf('%064x', i), 'f' || (i * 7919 % 5003)"
                        + " || '.jpg', '/m/' || i, 'raw_assets', CASE i % 3 WHEN 0 THEN 'video' ELSE 'image' END,"
                        + " i * 37 % 10007, 0, CASE i % 3 WHEN 0 THEN i % 97 END,"
                        + " '{\"probe\": {\"captured_at\": \"2024-01-01T00:00:' || printf('%02d', i % 60) || '\"}}',"
                        + " strftime('%Y-%m-%dT%H:%M:%fZ', 1700000000 + i / 3, 'unixepoch') FROM n");
                s.execute("INSERT INTO asset_paths (asset_id, source_root, rel_path, abs_path, size_bytes, mtime_ns,"
                        + " first_seen_at, last_seen_at, deleted_at) SELECT id, 'raw_assets', 'f/' || rowid, '/m/f/' || rowid,"
                        + " 1, 0, '" + T0 + "', '" + T0 + "', CASE WHEN rowid % 10 = 0 THEN '" + T0 + "' END FROM assets");
            }
            return null;
        });
        ListRepository listing = new ListRepository();
        FilterSql none = new FilterSql(SearchFilter.NONE);
        // A filter with an index of its own must not tempt SQLite into sorting every match.
        FilterSql images = new FilterSql(filter(MediaType.IMAGE, null, 1.0, null, null, null, null, null, null, null));
        for (AssetSort sort : AssetSort.values()) {
            String plan = plan(listing.pageSql(none, sort, Dialect.SQLITE), 20, 0);
            assertThat(plan).as("%s: %s", sort, plan).contains("SCAN a USING").contains("INDEX " + sort.index())
                    .doesNotContain("TEMP B-TREE").contains("asset_paths_live");
            String filtered = plan(listing.pageSql(images, sort, Dialect.SQLITE), "image", 1.0, 20, 0);
            assertThat(filtered).as("%s: %s", sort, filtered).contains("INDEX " + sort.index())
                    .doesNotContain("TEMP B-TREE");
        }
        assertThat(plan(listing.pageSql(none, AssetSort.NEWEST, Dialect.SQLITE), 20, 0)).contains("INDEX assets_indexed_at");
        // The facets (and total) read every match once, in the assets' order, which the scan gives without a sort.
        FacetRepository facets = new FacetRepository();
        String allFacets = plan(facets.facetSql(SearchFilter.NONE, none));
        assertThat(allFacets).as(allFacets).contains("SCAN a").contains("asset_paths_live").doesNotContain("TEMP B-TREE");
        SearchFilter imageFilter = filter(MediaType.IMAGE, null, 1.0, null, null, null, null, null, null, null);
        String imageFacets = plan(facets.facetSql(imageFilter, images), "image", 1.0);
        assertThat(imageFacets).as(imageFacets).doesNotContain("TEMP B-TREE");
        SearchFilter folder = new SearchFilter(null, null, null, null, null, "raw_assets", null, List.of(), null, null,
                "f");
        String folderFacets = plan(facets.facetSql(folder, new FilterSql(folder)), "raw_assets", "f/", "f0");
        assertThat(folderFacets).as(folderFacets).contains("SEARCH p USING INDEX sqlite_autoindex_asset_paths_1");
        // Walking an order's index, each asset's own live paths are looked at, never a folder's range per asset.
        FilterSql folderSql = new FilterSql(folder);
        String walk = plan(listing.pageSql(folderSql, AssetSort.NEWEST, Dialect.SQLITE), "raw_assets", "f/", "f0", 20, 0);
        assertThat(walk).as(walk).contains("SEARCH p USING INDEX asset_paths_live (asset_id=?)")
                .doesNotContain("sqlite_autoindex_asset_paths_1");
        // Every match of a folder at once (a search's filter): its paths by their range, then their assets.
        String all = plan("SELECT a.id FROM assets a WHERE " + folderSql.allMatchingWhere(), "raw_assets", "f/", "f0");
        assertThat(all).as(all).contains("SEARCH p USING INDEX sqlite_autoindex_asset_paths_1").doesNotContain("SCAN");
        // A folder's or a job's page reads its paths by their index and sorts their assets, not every asset.
        String folderPage = plan(listing.fewPathsPageSql(new FilterSql(folder), AssetSort.NEWEST, Dialect.SQLITE),
                "raw_assets", "f/", "f0", 20, 0);
        assertThat(folderPage).as(folderPage).contains("SEARCH p USING INDEX sqlite_autoindex_asset_paths_1")
                .contains("SEARCH a USING INDEX sqlite_autoindex_assets_1").doesNotContain("SCAN");
        SearchFilter job = filter(null, null, null, null, null, null, "ACME-042", null, null, null);
        String jobPage = plan(listing.fewPathsPageSql(new FilterSql(job), AssetSort.NEWEST, Dialect.SQLITE), "ACME-042",
                20, 0);
        assertThat(jobPage).as(jobPage).contains("SEARCH p USING INDEX asset_paths_job").doesNotContain("SCAN");
        String jobFacets = plan(facets.facetSql(job, new FilterSql(job)), "ACME-042");
        assertThat(jobFacets).as(jobFacets).contains("SEARCH p USING INDEX asset_paths_job").doesNotContain("SCAN");
        assertThat(reader.list(SearchFilter.NONE, AssetSort.NEWEST, 20, 0).total()).isEqualTo(4500);
        AssetPage firstImages = reader.list(images(), AssetSort.DURATION, 20, 0);
        assertThat(firstImages.total()).isEqualTo(3000);
        assertThat(firstImages.assets()).hasSize(20).allMatch(asset -> asset.mediaType() == MediaType.IMAGE);
        assertThat(paged(SearchFilter.NONE, AssetSort.CAPTURED, 1000)).hasSize(4500).doesNotHaveDuplicates();
    }

    private static SearchFilter images() {
        return filter(MediaType.IMAGE, null, null, null, null, null, null, null, null, null);
    }

    /** The query plan of {@code sql} (its parameters bound to {@code params}), one step a line. */
    private String plan(String sql, Object... params) {
        return database.read(c -> {
            try (PreparedStatement query = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                for (int i = 0; i < params.length; i++) {
                    query.setObject(i + 1, params[i]);
                }
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = query.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString("detail")).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }

    @Test
    void anIndexFromBeforeMigration6GetsTheBrowseIndexesEvenWithADamagedRow() throws SQLException {
        open();
        Asset damaged = asset(1, "damaged.jpg");
        damaged.rawJson = "{ not json";
        Asset captured = asset(2, "captured.jpg");
        captured.rawJson = "{\"probe\": {\"captured_at\": \"2024-05-01T12:00\"}}";
        database.write(c -> {
            try (Statement s = c.createStatement()) {
                OlderSchema.before(s, 6);
            }
            insert(c, damaged);
            insert(c, captured);
            return null;
        });
        database.close();

        open();
        assertThat(database.schemaVersion()).isEqualTo(Migrations.LATEST);
        assertThat(names(SearchFilter.NONE, AssetSort.CAPTURED)).containsExactly("captured.jpg", "damaged.jpg");
        assertThat(plan(new ListRepository().pageSql(new FilterSql(SearchFilter.NONE), AssetSort.CAPTURED, Dialect.SQLITE), 20, 0))
                .contains("assets_captured");
    }
}
