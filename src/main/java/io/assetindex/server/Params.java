package io.assetindex.server;

import io.assetindex.MediaType;
import io.assetindex.query.QueryException;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.ProcessStatus;
import io.assetindex.store.SearchFilter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.util.Fields;

/**
 * A request's query parameters, read within caps: every value at most {@link #MAX_VALUE_CHARS}
 * characters, at most {@link #MAX_REPEATS} of a repeated one, numbers that parse, names from the
 * allowed sets. Anything else is a 400 that says what is allowed; an unknown parameter is refused
 * too, so a typo is not silently ignored.
 */
final class Params {
    static final int MAX_VALUE_CHARS = 2_000;
    static final int MAX_REPEATS = 50;
    private static final Set<String> FILTERS = Set.of("type", "min_duration", "max_duration", "min_width", "min_height",
            "root", "folder", "job", "tag", "path", "audio_role");

    private final Fields fields;

    Params(Fields fields) {
        this.fields = fields;
    }

    /** Refuses parameters other than these and the filters. */
    Params allow(Set<String> names, boolean filters) throws QueryException {
        for (String name : fields.getNames()) {
            if (!names.contains(name) && !(filters && FILTERS.contains(name))) {
                throw bad("unknown parameter '" + shorten(name) + "'; allowed: " + String.join(", ",
                        filters ? union(names) : names.stream().sorted().toList()));
            }
        }
        return this;
    }

    private static List<String> union(Set<String> names) {
        return java.util.stream.Stream.concat(names.stream(), FILTERS.stream()).sorted().toList();
    }

    /** One value, or null when absent. */
    String text(String name) throws QueryException {
        List<String> values = values(name);
        if (values.size() > 1) {
            throw bad(name + " is given " + values.size() + " times; give it once");
        }
        return values.isEmpty() ? null : values.get(0);
    }

    List<String> values(String name) throws QueryException {
        List<String> values = fields.getValues(name);
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_REPEATS && !name.equals("tag")) {
            throw bad(name + " is given " + values.size() + " times; at most " + MAX_REPEATS);
        }
        for (String value : values) {
            if (value.length() > MAX_VALUE_CHARS) {
                throw bad(name + " is longer than " + MAX_VALUE_CHARS + " characters");
            }
        }
        return values;
    }

    int wholeNumber(String name, int defaultValue, int min, int max) throws QueryException {
        String value = text(name);
        if (value == null) {
            return defaultValue;
        }
        try {
            int number = Integer.parseInt(value.strip());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw bad(name + " must be a whole number from " + min + " to " + max + ", not '" + shorten(value) + "'");
    }

    private Double number(String name) throws QueryException {
        String value = text(name);
        if (value == null) {
            return null;
        }
        try {
            double number = Double.parseDouble(value.strip());
            if (Double.isFinite(number) && number >= 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw bad(name + " must be a number of at least 0, not '" + shorten(value) + "'");
    }

    private Integer pixels(String name) throws QueryException {
        return text(name) == null ? null : wholeNumber(name, 0, 0, 1_000_000);
    }

    /** A media type (image, video or audio), or null when not given. */
    MediaType mediaType(String name) throws QueryException {
        String type = oneOf(name, List.of("image", "video", "audio"));
        return type == null ? null : MediaType.fromId(type);
    }

    /**
     * The search filters: type, min_duration, max_duration, min_width, min_height, root, folder (with root), job,
     * tag, path, audio_role.
     */
    SearchFilter filter() throws QueryException {
        String type = oneOf("type", List.of("image", "video", "audio"));
        try {
            return new SearchFilter(type == null ? null : MediaType.fromId(type), number("min_duration"),
                    number("max_duration"), pixels("min_width"), pixels("min_height"), text("root"), text("job"),
                    values("tag"), text("path"), oneOf("audio_role", List.of("voice_over", "background_music",
                            "sound_effect")), text("folder"));
        } catch (SearchFilter.Invalid e) {
            throw bad(e.getMessage());
        }
    }

    Metric metric() throws QueryException {
        String metric = oneOf("metric", List.of("cosine", "l2"));
        return "l2".equals(metric) ? Metric.L2 : Metric.COSINE;
    }

    ProcessStatus status() throws QueryException {
        String status = oneOf("status", List.of("ok", "skipped", "failed"));
        return status == null ? null : ProcessStatus.fromId(status);
    }

    String oneOf(String name, List<String> allowed) throws QueryException {
        String value = text(name);
        if (value == null) {
            return null;
        }
        String lower = value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(lower)) {
            throw bad(name + " must be one of " + String.join(", ", allowed) + ", not '" + shorten(value) + "'");
        }
        return lower;
    }

    static QueryException bad(String message) {
        return new QueryException(QueryException.Kind.BAD_REQUEST, message);
    }

    static String shorten(String text) {
        String shown = io.assetindex.util.Text.escapeControls(text);
        return shown.length() <= 60 ? shown : shown.substring(0, 57) + "...";
    }
}
