package io.assetindex.index;

import io.assetindex.MediaType;
import io.assetindex.config.IgnoreRule;
import io.assetindex.config.IntegrityRules;
import io.assetindex.media.ToolMessages;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges what an integrity checker said under the user's {@code integrity.ignore_patterns}: an
 * error that a rule applying to the file finds is only a warning. Pure and cheap, so that a
 * cached verdict can be judged again whenever the rules change, without reading the file.
 *
 * <p>A rule gets at most {@link #MATCH_LIMIT_MS} per message: a pattern that backtracks without
 * end (the rules come from a config file, the messages from hostile files) counts as not
 * matching rather than holding up indexing.
 */
public final class IntegrityJudge {
    public static final IntegrityJudge NONE = new IntegrityJudge(IntegrityRules.NONE);
    static final long MATCH_LIMIT_MS = 50;

    private final IntegrityRules rules;
    private final String rulesHash;

    /**
     * @param messages the messages after the rules: errors left, then warnings (the ignored errors first)
     * @param ignored  the errors the rules made warnings
     */
    public record Judged(ToolMessages messages, List<String> ignored) {}

    public IntegrityJudge(IntegrityRules rules) {
        this.rules = rules;
        this.rulesHash = rules.ignoreRules().isEmpty() ? null : ConfigHash.of(rules.canonical());
    }

    /** The hash of the rules (recorded with each verdict), or null when there are none. */
    public String rulesHash() {
        return rulesHash;
    }

    /**
     * @param type      the file's media type, or null when not known (then only rules for every type apply)
     * @param extension the file's lower-case extension, or null
     */
    public Judged judge(ToolMessages said, MediaType type, String extension) {
        List<String> errors = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (String error : said.errors()) {
            (ignores(error, type, extension) ? ignored : errors).add(error);
        }
        List<String> warnings = new ArrayList<>(ignored);
        warnings.addAll(said.warnings());
        return new Judged(new ToolMessages(errors, warnings), ignored);
    }

    private boolean ignores(String message, MediaType type, String extension) {
        for (IgnoreRule rule : rules.ignoreRules()) {
            if (rule.appliesTo(type, extension) && finds(rule, message)) {
                return true;
            }
        }
        return false;
    }

    private static boolean finds(IgnoreRule rule, String message) {
        try {
            return rule.pattern().matcher(new TimedText(message, System.nanoTime() + MATCH_LIMIT_MS * 1_000_000))
                    .find();
        } catch (TimedText.TimeUp e) {
            return false;
        }
    }

    /** A message that stops a regular expression reading it once its time is up. */
    private record TimedText(String text, long deadlineNs) implements CharSequence {
        static final class TimeUp extends RuntimeException {
            TimeUp() {
                super(null, null, false, false);
            }
        }

        @Override
        public char charAt(int index) {
            if (System.nanoTime() > deadlineNs) {
                throw new TimeUp();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new TimedText(text.substring(start, end), deadlineNs);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
