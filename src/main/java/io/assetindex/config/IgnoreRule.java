package io.assetindex.config;

import io.assetindex.MediaType;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One entry of {@code integrity.ignore_patterns}: a checker's error message that this pattern
 * finds (anywhere in the message, case-insensitively) is only a warning for files of these media
 * types and extensions.
 *
 * @param pattern    the regular expression, compiled
 * @param types      the media types it applies to; empty: all
 * @param extensions lower-case extensions without dot it applies to; empty: all
 */
public record IgnoreRule(Pattern pattern, Set<MediaType> types, Set<String> extensions) {
    /** Longest pattern accepted: the rules run over every message of every damaged file. */
    public static final int MAX_PATTERN_CHARS = 1000;

    public IgnoreRule {
        types = Set.copyOf(types);
        extensions = Set.copyOf(extensions);
    }

    /** Whether it applies to a file of this type (null: not known) and extension (null: none). */
    public boolean appliesTo(MediaType type, String extension) {
        return (types.isEmpty() || (type != null && types.contains(type)))
                && (extensions.isEmpty() || (extension != null && extensions.contains(extension.toLowerCase(Locale.ROOT))));
    }

    /** The rule as canonical text: equal rules, equal text (for the hash verdicts record). */
    public String canonical() {
        return pattern.pattern() + "\u0000" + new TreeSet<>(types.stream().map(MediaType::id).toList()) + "\u0000"
                + new TreeSet<>(extensions);
    }
}
