package io.assetindex.media;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What ffmpeg or ffprobe printed with {@code -loglevel level+warning}: messages sorted into
 * errors (error, fatal, panic: data is missing or unreadable) and warnings, without the
 * "[mov,mp4 @ 0x55d4...]" context prefixes, each kept once.
 */
public record ToolMessages(List<String> errors, List<String> warnings) {
    private static final Pattern CONTEXT = Pattern.compile("^(\\[[^]]*@ 0x[0-9a-f]+\\] )+");

    public ToolMessages {
        errors = List.copyOf(errors);
        warnings = List.copyOf(warnings);
    }

    public static ToolMessages parse(String stderr) {
        Set<String> errors = new LinkedHashSet<>();
        Set<String> warnings = new LinkedHashSet<>();
        for (String line : stderr.lines().toList()) {
            String message = CONTEXT.matcher(line.strip()).replaceFirst("");
            if (message.startsWith("[error] ") || message.startsWith("[fatal] ") || message.startsWith("[panic] ")) {
                errors.add(message.substring(message.indexOf(']') + 2).strip());
            } else if (message.startsWith("[warning] ")) {
                warnings.add(message.substring(message.indexOf(']') + 2).strip());
            } else if (!message.isBlank()) {
                errors.add(message); // printed without a level: only fatal startup errors are
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
