package io.assetindex.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What the integrity check counts as damage beyond what the checkers say: the user's
 * {@code integrity.ignore_patterns}, in order.
 */
public record IntegrityRules(List<IgnoreRule> ignoreRules) {
    public static final IntegrityRules NONE = new IntegrityRules(List.of());

    public IntegrityRules {
        ignoreRules = List.copyOf(ignoreRules);
    }

    /** The rules as canonical text ("" for none): what a verdict records it was judged under. */
    public String canonical() {
        return ignoreRules.stream().map(IgnoreRule::canonical).collect(Collectors.joining("\n"));
    }
}
