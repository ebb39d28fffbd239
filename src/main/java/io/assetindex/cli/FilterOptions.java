package io.assetindex.cli;

import io.assetindex.MediaType;
import io.assetindex.config.AppConfig;
import io.assetindex.config.WatchRoot;
import io.assetindex.store.SearchFilter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The filters that {@code search}, {@code similar} and {@code list} share, and their checks. */
final class FilterOptions {

    /** Media types as typed on the command line. */
    enum Type {
        image, video, audio
    }

    /** Audio roles as typed on the command line (the AI describer's). */
    enum AudioRole {
        voice_over, background_music, sound_effect
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

    @Option(names = "--folder", paramLabel = "FOLDER",
            description = "Only files under this folder of the --root watch path, at any depth (relative to it,"
                    + " e.g. aerial/2024).")
    String folder;

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

    /** The filter, checked: exit 2 with what is allowed when a value is not. */
    SearchFilter filter(AppConfig config) {
        List<String> roots = config.watchRoots().stream().map(WatchRoot::name).toList();
        if (root != null && !roots.contains(root)) {
            throw new CommandFailure(ExitCode.USAGE, "--root " + root + " is not a watch path; the watch paths are: "
                    + String.join(", ", roots));
        }
        try {
            return new SearchFilter(type == null ? null : MediaType.fromId(type.name()), minDuration, maxDuration,
                    minWidth, minHeight, root, job, tags, path, audioRole == null ? null : audioRole.name(), folder);
        } catch (SearchFilter.Invalid e) {
            throw new CommandFailure(ExitCode.USAGE, "--" + e.field().replace('_', '-') + " " + e.allowed());
        }
    }
}
