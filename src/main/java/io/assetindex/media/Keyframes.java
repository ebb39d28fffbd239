package io.assetindex.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pictures that show what a video contains, for a vision model: about half of them evenly
 * spaced, the rest at the strongest scene changes (found by ffmpeg on the key frames only,
 * which is fast even for long videos), topped up with evenly spaced ones when the video has
 * few cuts. Each is a JPEG no larger than the size asked for, upright.
 */
public final class Keyframes {
    /** Scene-change score (0 to 1) above which a key frame counts as a cut. */
    private static final double SCENE_THRESHOLD = 0.3;
    private static final Pattern PTS_TIME = Pattern.compile("pts_time:([0-9.]+)");
    private static final Pattern SCORE = Pattern.compile("lavfi\\.scene_score=([0-9.]+)");
    /** ffmpeg's JPEG quality scale (2 best … 31): good enough for a model to look at, small to send. */
    private static final int FRAME_QUALITY = 4;

    /** One picture and when it is in the video. */
    public record Frame(double atSeconds, byte[] jpeg) {}

    private Keyframes() {}

    public static List<Frame> take(MediaTools tools, Path file, long sizeBytes, double durationSeconds, int count,
            int maxSide) throws MediaException, IOException, InterruptedException {
        List<Frame> frames = new ArrayList<>();
        for (double at : times(durationSeconds, count, sceneChanges(tools, file, sizeBytes))) {
            frames.add(new Frame(at, frameAt(tools, file, sizeBytes, at, maxSide)));
        }
        return frames;
    }

    /**
     * The times to show: {@code ceil(count/2)} evenly spaced, then the strongest cuts not close
     * to a time already chosen, then more evenly spaced times; in order.
     *
     * @param cuts scene changes as (time, score), any order
     */
    static List<Double> times(double durationSeconds, int count, List<double[]> cuts) {
        double duration = Math.max(0, durationSeconds);
        double minGap = duration / (2.0 * count);
        TreeSet<Double> chosen = new TreeSet<>();
        int even = (count + 1) / 2;
        for (int i = 0; i < even; i++) {
            chosen.add(round(duration * (i + 0.5) / even));
        }
        List<double[]> strongest = new ArrayList<>(cuts);
        strongest.sort((a, b) -> Double.compare(b[1], a[1]));
        for (double[] cut : strongest) {
            if (chosen.size() >= count) {
                break;
            }
            // Just after the cut, so the frame shows the new scene.
            double at = round(Math.min(duration, cut[0] + Math.min(0.5, minGap)));
            Double below = chosen.floor(at);
            Double above = chosen.ceiling(at);
            if ((below == null || at - below >= minGap) && (above == null || above - at >= minGap)) {
                chosen.add(at);
            }
        }
        for (int i = 0; chosen.size() < count && i < count; i++) {
            chosen.add(round(duration * (i + 0.25) / count));
        }
        return new ArrayList<>(chosen);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }

    /** Scene changes among the key frames, as (time, score); none when ffmpeg cannot tell. */
    static List<double[]> sceneChanges(MediaTools tools, Path file, long sizeBytes)
            throws IOException, InterruptedException {
        Subprocess.Result result = tools.ffmpeg(List.of("-loglevel", "error", "-skip_frame", "nokey"), file,
                List.of("-an", "-sn", "-dn", "-vf",
                        "scale=160:-2,select='gt(scene," + SCENE_THRESHOLD + ")',metadata=print:file=-",
                        "-f", "null", "-"), MediaTools.limitFor(sizeBytes));
        List<double[]> cuts = new ArrayList<>();
        if (result.timedOut() || result.exitCode() != 0) {
            return cuts;
        }
        double at = -1;
        for (String line : new String(result.stdout(), StandardCharsets.UTF_8).split("\n")) {
            Matcher time = PTS_TIME.matcher(line);
            Matcher score = SCORE.matcher(line);
            if (time.find()) {
                at = Double.parseDouble(time.group(1));
            } else if (score.find() && at >= 0) {
                cuts.add(new double[] {at, Double.parseDouble(score.group(1))});
                at = -1;
            }
        }
        return cuts;
    }

    private static byte[] frameAt(MediaTools tools, Path file, long sizeBytes, double atSeconds, int maxSide)
            throws MediaException, IOException, InterruptedException {
        Subprocess.Result result = Thumbnailer.frame(tools, file, atSeconds, Thumbnailer.fitWithin(maxSide),
                FRAME_QUALITY, MediaTools.limitFor(sizeBytes).plus(Duration.ofSeconds(10)));
        if (result.failed()) {
            throw new MediaException(String.format(Locale.ROOT, "ffmpeg could not take the frame at %.1f s (%s)",
                    atSeconds, result.problem()));
        }
        return result.stdout();
    }
}
