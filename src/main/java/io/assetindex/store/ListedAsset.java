package io.assetindex.store;

import io.assetindex.MediaType;
import java.time.Instant;
import java.util.List;

/**
 * One asset as {@code list} shows it: the facts a search hit has, and when it was indexed, its
 * size and capture time. Numbers are null where no analyzer found them.
 *
 * @param hasTranscript whether its transcript has words in it (the transcript itself is in {@code show})
 * @param paths      its live paths, as shown ({@code raw_assets/holiday/a.jpg}), in path order
 * @param tags       the AI describer's tags, empty when it gave none
 * @param mood       the AI describer's mood words, empty when it gave none
 * @param capturedAt the capture time as the probe recorded it (see {@link Migrations#CAPTURED_AT}): ISO-8601,
 *                   with an offset only when the file had one; null when unknown
 */
public record ListedAsset(String id, String fileName, MediaType mediaType, Integer width, Integer height,
        Double durationSeconds, Double fps, Boolean hasAudio, boolean hasTranscript, String jobId, String style,
        String summary, String audioRole, List<String> paths, List<String> tags, List<String> mood, long sizeBytes,
        Instant indexedAt, String capturedAt) {

    public ListedAsset {
        paths = List.copyOf(paths);
        tags = List.copyOf(tags);
        mood = List.copyOf(mood);
    }

    ListedAsset withPaths(List<String> livePaths) {
        return new ListedAsset(id, fileName, mediaType, width, height, durationSeconds, fps, hasAudio, hasTranscript,
                jobId, style, summary, audioRole, livePaths, tags, mood, sizeBytes, indexedAt, capturedAt);
    }
}
