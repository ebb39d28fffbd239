package io.assetindex.store;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What a person typed, read for the keyword index: words and {@code "quoted phrases"} that must
 * all be there, {@code -words} and {@code -"phrases"} that must not, and the text the meaning
 * search embeds (without the excluded words and the quotes). Words are split as the index splits
 * them, so {@code DJI_0042} looks for {@code dji} followed by {@code 0042}. The FTS5 expressions
 * are built from letters and digits only, so no input can change their syntax.
 *
 * @param terms    each a phrase of tokens (a word may be several tokens)
 * @param excluded phrases that must not match
 * @param meaning  the text to embed for the meaning search ("" when nothing is left)
 */
public record KeywordQuery(List<List<String>> terms, List<List<String>> excluded, String meaning) {
    /** A quoted phrase, a word, each possibly preceded by '-'. */
    private static final Pattern PART = Pattern.compile("(-?)(?:\"([^\"]*)\"?|(\\S+))");
    private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    /** More terms than this are not looked for by keyword (a pasted paragraph is a meaning search). */
    private static final int MAX_TERMS = 32;
    /**
     * Small words that are everywhere (in names too: drone_over_the_coast): as keywords they would
     * match nearly anything. Looked for only in a quoted phrase, or when a query has nothing else.
     */
    private static final Set<String> SMALL_WORDS = Set.of("a", "an", "and", "at", "by", "for", "from", "in", "is",
            "of", "on", "or", "the", "to", "with", "de", "la", "le", "der", "die", "das", "und");

    public static KeywordQuery parse(String text) {
        List<List<String>> terms = new ArrayList<>();
        List<List<String>> excluded = new ArrayList<>();
        List<String> meaning = new ArrayList<>();
        Matcher part = PART.matcher(text);
        while (part.find()) {
            boolean not = !part.group(1).isEmpty();
            String content = part.group(2) != null ? part.group(2) : part.group(3);
            List<String> tokens = tokens(content);
            if (tokens.isEmpty()) {
                if (!not && part.group(3) != null) {
                    meaning.add(part.group());
                }
                continue;
            }
            if (not) {
                excluded.add(tokens);
            } else {
                terms.add(tokens);
                meaning.add(content);
            }
        }
        List<List<String>> words = terms.stream()
                .filter(tokens -> tokens.size() > 1 || !SMALL_WORDS.contains(tokens.get(0))).toList();
        if (!words.isEmpty()) {
            terms = new ArrayList<>(words);
        }
        if (terms.size() > MAX_TERMS) {
            terms = List.of();
        }
        return new KeywordQuery(List.copyOf(terms), List.copyOf(excluded), String.join(" ", meaning).strip());
    }

    /** Lower case, without accents, split at everything that is not a letter or a digit (as the index does). */
    public static List<String> tokens(String text) {
        String plain = MARKS.matcher(Normalizer.normalize(text, Normalizer.Form.NFD)).replaceAll("")
                .toLowerCase(Locale.ROOT);
        return Arrays.stream(NOT_WORD.split(plain)).filter(token -> !token.isEmpty()).toList();
    }

    /** Every term there (and no excluded one), or empty when there is no term. */
    public Optional<String> all() {
        return expression(" AND ");
    }

    /** Any of the terms (and no excluded one), or empty when there is no term. */
    public Optional<String> any() {
        return expression(" OR ");
    }

    /** The excluded phrases, any of them, or empty. */
    public Optional<String> excludedMatch() {
        return excluded.isEmpty() ? Optional.empty() : Optional.of(join(excluded, " OR "));
    }

    /** The tokens looked for, for saying which fields matched. */
    public Set<String> tokens() {
        return terms.stream().flatMap(List::stream).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private Optional<String> expression(String operator) {
        if (terms.isEmpty()) {
            return Optional.empty();
        }
        String wanted = "(" + join(terms, operator) + ")";
        return Optional.of(excluded.isEmpty() ? wanted : wanted + " NOT (" + join(excluded, " OR ") + ")");
    }

    private static String join(List<List<String>> phrases, String operator) {
        return phrases.stream().map(tokens -> "\"" + String.join(" ", tokens) + "\"").collect(Collectors.joining(operator));
    }
}
