package io.assetindex.search;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.store.IndexReader;
import io.assetindex.store.KeywordQuery;
import io.assetindex.util.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Why each result matched: the fields of the keyword index that hold a word looked for (name,
 * folder, job, camera, style, summary, tags, mood, scenes, transcript), a short snippet with the
 * match in [brackets], and for a word said in a recording the start of the first segment that says
 * it. A result found by meaning alone matched by "meaning".
 */
public final class MatchReasons {
    private MatchReasons() {}

    /**
     * @param fields                 the fields that matched, or ["meaning"]
     * @param snippet                the matched text with the match in [brackets], or null
     * @param transcriptStartSeconds where in the recording a matched word is said, or null
     */
    public record Why(List<String> fields, String snippet, Double transcriptStartSeconds) {}

    static Map<String, Why> of(IndexReader reader, KeywordQuery query, Collection<String> ids,
            Map<String, String> snippets) {
        Set<String> wanted = query.tokens();
        List<String> byKeyword = ids.stream().filter(snippets::containsKey).toList();
        Map<String, Map<String, String>> texts = byKeyword.isEmpty() ? Map.of() : reader.keywordTexts(byKeyword);
        Map<String, Why> out = new HashMap<>();
        for (String id : ids) {
            Map<String, String> columns = texts.get(id);
            if (columns == null) {
                out.put(id, new Why(List.of("meaning"), null, null));
                continue;
            }
            List<String> fields = new ArrayList<>();
            columns.forEach((field, text) -> {
                if (text != null && containsAny(text, wanted)) {
                    fields.add(field);
                }
            });
            Double start = fields.contains("transcript") ? segmentStart(reader, id, wanted) : null;
            out.put(id, new Why(fields, snippets.get(id), start));
        }
        return out;
    }

    private static boolean containsAny(String text, Set<String> wanted) {
        return !java.util.Collections.disjoint(new HashSet<>(KeywordQuery.tokens(text)), wanted);
    }

    /** The start of the first timed segment that says one of the words, or null. */
    private static Double segmentStart(IndexReader reader, String id, Set<String> wanted) {
        JsonNode result = reader.transcription(id).map(Json::read).orElse(null);
        if (result == null) {
            return null;
        }
        for (JsonNode segment : result.path("segments")) {
            if (segment.path("start_seconds").isNumber() && containsAny(segment.path("text").asText(""), wanted)) {
                return segment.path("start_seconds").asDouble();
            }
        }
        return null;
    }
}
