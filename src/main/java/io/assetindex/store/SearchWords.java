package io.assetindex.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sqlite.Function;

/**
 * The SQL functions the keyword index's triggers call (migration 7), registered on every
 * connection the program opens ({@link #register}):
 *
 * <ul>
 *   <li>{@code asset_words(text)}: the text, then the words hidden inside its names, so that
 *       SQLite's tokenizer (which splits at every character that is not a letter or a digit:
 *       {@code DJI_0042.MP4} gives {@code dji}, {@code 0042}, {@code mp4}) also finds the parts
 *       of {@code camelCase}, {@code HTTPServer} and {@code IMG1234};</li>
 *   <li>{@code asset_key(id)}: the keyword index's row number of an asset, from its id (a
 *       SHA-256 in hex), the same in every copy of the index (an assets table's own row numbers
 *       may change when a copy is made with VACUUM).</li>
 * </ul>
 */
public final class SearchWords {
    /** Letters and digits in a row: the parts of a name, before camelCase is split. */
    private static final Pattern RUN = Pattern.compile("[\\p{L}\\p{N}]+");
    /**
     * Where camelCase changes (fooBar, HTTPServer) and where two letters or more meet two digits or
     * more (IMG1234, take12b stays whole at "2b"): a file extension such as mp4 or m4a is not split.
     */
    private static final Pattern INNER = Pattern.compile("(?<=\\p{Ll})(?=\\p{Lu})|(?<=\\p{Lu})(?=\\p{Lu}\\p{Ll})"
            + "|(?<=\\p{L}{2})(?=\\p{N}{2})|(?<=\\p{N}{2})(?=\\p{L}{2})");
    /** The hex digits of an id that make its key: 60 bits, a positive long. */
    private static final int KEY_DIGITS = 15;

    private SearchWords() {}

    /** The text, then the parts of its camelCase and letter-digit words that the text does not show apart. */
    public static String words(String text) {
        if (text == null) {
            return null;
        }
        Set<String> parts = new LinkedHashSet<>();
        Matcher run = RUN.matcher(text);
        while (run.find()) {
            String[] split = INNER.split(run.group());
            if (split.length > 1) {
                for (String part : split) {
                    parts.add(part.toLowerCase(Locale.ROOT));
                }
            }
        }
        return parts.isEmpty() ? text : text + " " + String.join(" ", parts);
    }

    /** The keyword index's row number for an asset id. */
    public static long key(String id) {
        if (id == null || id.length() < KEY_DIGITS) {
            throw new IllegalArgumentException("not an asset id: " + id);
        }
        // The last digits: a SHA-256's are as random as its first, and ids made in sequence (tests,
        // benchmarks) differ there. Two of a million random ids share a key with a chance of 4e-7.
        return Long.parseUnsignedLong(id.substring(id.length() - KEY_DIGITS), 16);
    }

    /** Makes the functions known to a connection (each connection needs its own). */
    public static void register(Connection connection) throws SQLException {
        Function.create(connection, "asset_words", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                if (value_type(0) == 5) { // SQLITE_NULL
                    result();
                } else {
                    result(words(value_text(0)));
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
        Function.create(connection, "asset_key", new Function() {
            @Override
            protected void xFunc() throws SQLException {
                try {
                    result(key(value_text(0)));
                } catch (IllegalArgumentException e) {
                    error(e.getMessage());
                }
            }
        }, 1, Function.FLAG_DETERMINISTIC);
    }
}
