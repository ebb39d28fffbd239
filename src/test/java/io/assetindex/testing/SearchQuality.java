package io.assetindex.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;

/**
 * The labelled queries of {@code src/test/resources/search-quality/queries.json} over
 * {@link QualityCorpus}, and how a search mode scores on them: the mean reciprocal rank (1/rank of
 * the first relevant file in the top {@value #TOP}, 0 when there is none) and recall@10 (the
 * share of a query's relevant files in its top {@value #TOP}), over all queries and per kind; and
 * the two rules issue 14 sets: hybrid's MRR above keyword's and semantic's, and every exact query
 * (a file-name stem, a job id, a camera model, a quoted transcript phrase) with a relevant file
 * first in hybrid.
 */
public final class SearchQuality {
    public static final int TOP = 10;

    /** Exact queries name a token the file holds; topical ones say what a person looks for. */
    public enum Kind {
        EXACT, TOPICAL
    }

    /** The search modes, as {@code search --mode} names them. */
    public enum Mode {
        KEYWORD, SEMANTIC, HYBRID;

        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * @param relevant   the workspace paths of the files it should find
     * @param paraphrase it shares no word with those files' text, so only meaning finds them
     */
    public record LabelledQuery(String text, Kind kind, Set<String> relevant, boolean paraphrase) {}

    /** What one mode returned for one query: each result's paths, best first. */
    public record Outcome(LabelledQuery query, List<List<String>> results) {
        /** The 1-based rank of the first result holding a relevant file, or 0 when none does. */
        public int firstRelevantRank() {
            for (int i = 0; i < Math.min(TOP, results.size()); i++) {
                if (results.get(i).stream().anyMatch(query.relevant()::contains)) {
                    return i + 1;
                }
            }
            return 0;
        }

        public double reciprocalRank() {
            int rank = firstRelevantRank();
            return rank == 0 ? 0 : 1.0 / rank;
        }

        /** The share of the relevant files found in the top {@value #TOP}. */
        public double recall() {
            Set<String> found = new LinkedHashSet<>();
            results.stream().limit(TOP).forEach(found::addAll);
            found.retainAll(query.relevant());
            return (double) found.size() / query.relevant().size();
        }

        /** The first path of the top result, or "nothing". */
        public String top() {
            return results.isEmpty() || results.get(0).isEmpty() ? "nothing" : results.get(0).get(0);
        }
    }

    /** How one mode did on every query. */
    public record Scores(Mode mode, List<Outcome> outcomes) {
        public double mrr() {
            return mean(outcome -> true, Outcome::reciprocalRank);
        }

        public double mrr(Predicate<LabelledQuery> which) {
            return mean(outcome -> which.test(outcome.query()), Outcome::reciprocalRank);
        }

        public double recall() {
            return mean(outcome -> true, Outcome::recall);
        }

        public double recall(Predicate<LabelledQuery> which) {
            return mean(outcome -> which.test(outcome.query()), Outcome::recall);
        }

        /** The exact queries whose first result holds none of their files. */
        public List<Outcome> exactNotFirst() {
            return outcomes.stream().filter(o -> o.query().kind() == Kind.EXACT && o.firstRelevantRank() != 1).toList();
        }

        private double mean(Predicate<Outcome> which, ToDoubleFunction<Outcome> value) {
            return outcomes.stream().filter(which).mapToDouble(value).average().orElse(0);
        }
    }

    /** Runs one query in one mode and returns the search command's JSON document. */
    @FunctionalInterface
    public interface Search {
        JsonNode run(String text, Mode mode);
    }

    public static final Predicate<LabelledQuery> EXACT = query -> query.kind() == Kind.EXACT;
    public static final Predicate<LabelledQuery> TOPICAL = query -> query.kind() == Kind.TOPICAL;
    public static final Predicate<LabelledQuery> PARAPHRASE = LabelledQuery::paraphrase;

    private SearchQuality() {}

    /** The labelled queries, in the order of queries.json. */
    public static List<LabelledQuery> queries() {
        List<LabelledQuery> queries = new ArrayList<>();
        for (JsonNode query : QualityCorpus.resource("/search-quality/queries.json").get("queries")) {
            Set<String> relevant = new LinkedHashSet<>();
            query.get("relevant").forEach(path -> relevant.add(path.asText()));
            queries.add(new LabelledQuery(query.get("query").asText(),
                    Kind.valueOf(query.get("kind").asText().toUpperCase(Locale.ROOT)), Set.copyOf(relevant),
                    query.path("paraphrase").asBoolean(false)));
        }
        return List.copyOf(queries);
    }

    /**
     * The arguments of {@code search} for a query: the top {@value #TOP} as JSON, in this mode;
     * without {@code modeOption} (a program from before --mode, which searches by meaning only)
     * the mode is left out.
     */
    public static List<String> arguments(String text, Mode mode, boolean modeOption) {
        List<String> arguments = new ArrayList<>(List.of("search", text, "--json", "--limit", String.valueOf(TOP)));
        if (modeOption) {
            arguments.addAll(List.of("--mode", mode.option()));
        }
        return arguments;
    }

    /** Every query run in one mode. */
    public static Scores score(Mode mode, List<LabelledQuery> queries, Search search) {
        List<Outcome> outcomes = new ArrayList<>();
        for (LabelledQuery query : queries) {
            List<List<String>> results = new ArrayList<>();
            for (JsonNode result : search.run(query.text(), mode).path("results")) {
                List<String> paths = new ArrayList<>();
                result.path("paths").forEach(path -> paths.add(path.asText()));
                results.add(List.copyOf(paths));
            }
            outcomes.add(new Outcome(query, List.copyOf(results)));
        }
        return new Scores(mode, List.copyOf(outcomes));
    }

    /** Hybrid's MRR above both keyword's and semantic's; empty unless all three were measured. */
    public static Optional<Boolean> hybridBeatsBoth(Map<Mode, Scores> scores) {
        if (!scores.keySet().containsAll(List.of(Mode.values()))) {
            return Optional.empty();
        }
        double hybrid = scores.get(Mode.HYBRID).mrr();
        return Optional.of(hybrid > scores.get(Mode.KEYWORD).mrr() && hybrid > scores.get(Mode.SEMANTIC).mrr());
    }

    /** Every exact query with a relevant file first in hybrid; empty unless hybrid was measured. */
    public static Optional<Boolean> exactFirstInHybrid(Map<Mode, Scores> scores) {
        return Optional.ofNullable(scores.get(Mode.HYBRID)).map(hybrid -> hybrid.exactNotFirst().isEmpty());
    }

    /** The figures per mode, the exact queries not ranked first, and the two rules, as text. */
    public static String report(Map<Mode, Scores> scores) {
        StringBuilder text = new StringBuilder();
        List<LabelledQuery> queries = scores.values().iterator().next().outcomes().stream().map(Outcome::query).toList();
        text.append(String.format(Locale.ROOT, "%d queries: %d exact, %d topical (%d of them paraphrases)%n%n",
                queries.size(), queries.stream().filter(EXACT).count(), queries.stream().filter(TOPICAL).count(),
                queries.stream().filter(PARAPHRASE).count()));
        text.append(String.format(Locale.ROOT, "%-9s %7s %9s   %-28s %s%n", "mode", "MRR", "recall@10",
                "MRR exact / topical / para.", "recall@10 exact / topical / para."));
        for (Mode mode : Mode.values()) {
            Scores s = scores.get(mode);
            if (s == null) {
                text.append(String.format(Locale.ROOT, "%-9s not measured (no --mode %s in this build)%n", mode.option(),
                        mode.option()));
                continue;
            }
            text.append(String.format(Locale.ROOT, "%-9s %7.3f %9.3f   %5.3f / %5.3f / %5.3f          %5.3f / %5.3f / %5.3f%n",
                    mode.option(), s.mrr(), s.recall(), s.mrr(EXACT), s.mrr(TOPICAL), s.mrr(PARAPHRASE),
                    s.recall(EXACT), s.recall(TOPICAL), s.recall(PARAPHRASE)));
        }
        for (Mode mode : Mode.values()) {
            Scores s = scores.get(mode);
            if (s != null) {
                List<Outcome> missed = s.exactNotFirst();
                text.append(String.format(Locale.ROOT, "%nexact queries not ranked first in %s: %d of %d%n",
                        mode.option(), missed.size(), queries.stream().filter(EXACT).count()));
                missed.forEach(o -> text.append(String.format(Locale.ROOT, "  %-36s %s, first: %s%n", o.query().text(),
                        o.firstRelevantRank() == 0 ? "not in the top " + TOP : "rank " + o.firstRelevantRank(), o.top())));
            }
        }
        if (scores.keySet().containsAll(List.of(Mode.values()))) {
            text.append(hybridBehind(scores));
        }
        text.append('\n').append(rule("hybrid MRR > keyword MRR and > semantic MRR", hybridBeatsBoth(scores)));
        text.append(rule("every exact query first in hybrid", exactFirstInHybrid(scores)));
        return text.toString();
    }

    /** The queries whose first relevant file hybrid ranks below where keyword or semantic alone ranks it. */
    private static String hybridBehind(Map<Mode, Scores> scores) {
        StringBuilder text = new StringBuilder();
        List<Outcome> hybrid = scores.get(Mode.HYBRID).outcomes();
        int behind = 0;
        for (int i = 0; i < hybrid.size(); i++) {
            int keyword = rank(scores.get(Mode.KEYWORD).outcomes().get(i));
            int semantic = rank(scores.get(Mode.SEMANTIC).outcomes().get(i));
            int fused = rank(hybrid.get(i));
            if (fused > Math.min(keyword, semantic)) {
                behind++;
                text.append(String.format(Locale.ROOT, "  %-58s %-7s %7s %8s %6s%n", hybrid.get(i).query().text(),
                        hybrid.get(i).query().kind().name().toLowerCase(Locale.ROOT), shown(keyword), shown(semantic),
                        shown(fused)));
            }
        }
        return String.format(Locale.ROOT, "%nqueries hybrid ranks below keyword or semantic alone: %d of %d%n%s",
                behind, hybrid.size(), behind == 0 ? "" : String.format(Locale.ROOT, "  %-58s %-7s %7s %8s %6s%n",
                        "query (rank of its first file)", "kind", "keyword", "semantic", "hybrid") + text);
    }

    /** The rank of the first relevant file, past the top when there is none. */
    private static int rank(Outcome outcome) {
        return outcome.firstRelevantRank() == 0 ? TOP + 1 : outcome.firstRelevantRank();
    }

    private static String shown(int rank) {
        return rank > TOP ? "-" : String.valueOf(rank);
    }

    private static String rule(String rule, Optional<Boolean> held) {
        return String.format(Locale.ROOT, "%-45s %s%n", rule, held.map(ok -> ok ? "PASS" : "FAIL").orElse("NOT MEASURED"));
    }
}
