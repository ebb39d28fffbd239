package io.assetindex.cli;

import io.assetindex.MediaType;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.SearchFilter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The filters and paging that {@code search}, {@code similar} and {@code list} share. The values
 * are checked where the query is answered (in this process or by the service), alike.
 */
final class SearchOptions {

    /** Media types as typed on the command line. */
    enum Type {
        image, video, audio
    }

    /** Audio roles as typed on the command line (the AI describer's). */
    enum AudioRole {
        voice_over, background_music, sound_effect
    }

    /** Metrics as typed on the command line. */
    enum MetricName {
        cosine, l2
    }

    @Option(names = "--type", paramLabel = "TYPE", description = "Only this media type: ${COMPLETION-CANDIDATES}.")
    Type type;

    @Option(names = "--min-duration", paramLabel = "SECONDS", description = "Only audio and video at least this long.")
    Double minDuration;

    @Option(names = "--max-duration", paramLabel = "SECONDS", description = "Only audio and video at most this long.")
    Double maxDuration;

    @Option(names = "--min-width", paramLabel = "PIXELS", description = "Only images and video at least this wide (as shown).")
    Integer minWidth;

    @Option(names = "--min-height", paramLabel = "PIXELS", description = "Only images and video at least this high (as shown).")
    Integer minHeight;

    @Option(names = "--root", paramLabel = "WATCH_PATH", description = "Only files under this watch path (as configured, e.g. raw_assets).")
    String root;

    @Option(names = "--job", paramLabel = "JOB_ID", description = "Only files of this job.")
    String job;

    @Option(names = "--tag", paramLabel = "WORD",
            description = "Only assets whose AI tags or mood include this word; repeat for any of several.")
    List<String> tags = new ArrayList<>();

    @Option(names = "--audio-role", paramLabel = "ROLE",
            description = "Only audio and video whose sound the AI describer found to be: ${COMPLETION-CANDIDATES}.")
    AudioRole audioRole;

    @Option(names = "--path", paramLabel = "TEXT", description = "Only files whose path contains this text (case-insensitive).")
    String path;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "At most N results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the N nearest (for the next page).")
    int offset;

    @Option(names = "--metric", paramLabel = "METRIC", defaultValue = "cosine",
            description = "Distance: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MetricName metric;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    SearchFilter filter() {
        return new SearchFilter(type == null ? null : MediaType.fromId(type.name()), minDuration, maxDuration, minWidth,
                minHeight, root, job, tags, path, audioRole == null ? null : audioRole.name());
    }

    Metric metric() {
        return metric == MetricName.l2 ? Metric.L2 : Metric.COSINE;
    }
}
