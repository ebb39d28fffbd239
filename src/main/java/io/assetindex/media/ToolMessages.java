package io.assetindex.media;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a checker said about a file: messages sorted into errors (data is missing or unreadable:
 * for ffmpeg and ffprobe the error, fatal and panic levels) and warnings, each kept once. At most
 * {@link #MAX_EACH} of each are kept, each at most {@link #MAX_CHARS} characters: a damaged file
 * can make ffmpeg print a line per frame, and these are stored with the verdict.
 */
public record ToolMessages(List<String> errors, List<String> warnings) {
    public static final ToolMessages NONE = new ToolMessages(List.of(), List.of());
    public static final int MAX_EACH = 50;
    public static final int MAX_CHARS = 500;
    private static final Pattern CONTEXT = Pattern.compile("^(\\[[^]]*@ 0x[0-9a-f]+\\] )+");

    public ToolMessages {
        errors = capped(errors);
        warnings = capped(warnings);
    }

    public static ToolMessages error(String message) {
        return new ToolMessages(List.of(message), List.of());
    }

    public static ToolMessages warning(String message) {
        return new ToolMessages(List.of(), List.of(message));
    }

    /** Damage: some error. */
    public boolean corrupt() {
        return !errors.isEmpty();
    }

    private static List<String> capped(List<String> messages) {
        return messages.stream().map(String::strip).map(m -> m.length() > MAX_CHARS ? m.substring(0, MAX_CHARS - 1) + "…" : m)
                .distinct().limit(MAX_EACH).toList();
    }

    /** What ffmpeg or ffprobe printed with {@code -loglevel level+warning}, without the "[mov,mp4 @ 0x55d4...]" prefixes. */
    public static ToolMessages parse(String stderr) {
        Set<String> errors = new LinkedHashSet<>();
        Set<String> warnings = new LinkedHashSet<>();
        for (String line : stderr.lines().toList()) {
            String message = CONTEXT.matcher(line.strip()).replaceFirst("");
            Set<String> level = errors;
            if (message.startsWith("[error] ") || message.startsWith("[fatal] ") || message.startsWith("[panic] ")) {
                message = message.substring(message.indexOf(']') + 2);
            } else if (message.startsWith("[warning] ")) {
                message = message.substring(message.indexOf(']') + 2);
                level = warnings;
            } else if (message.isBlank()) {
                continue;
            } // else printed without a level: only fatal startup errors are
            if (level.size() < MAX_EACH) {
                level.add(message.strip());
            }
        }
        return new ToolMessages(new ArrayList<>(errors), new ArrayList<>(warnings));
    }

    /** The first few messages, errors first, as one line; null when there are none. */
    public String summary(int max) {
        List<String> all = new ArrayList<>(errors);
        all.addAll(warnings);
        return all.isEmpty() ? null : String.join("; ", all.stream().limit(max).toList());
    }

    /** The first message, for a one-line reason. */
    public String first() {
        return !errors.isEmpty() ? errors.get(0) : !warnings.isEmpty() ? warnings.get(0) : "no details";
    }
}
