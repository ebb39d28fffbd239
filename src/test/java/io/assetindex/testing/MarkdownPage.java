package io.assetindex.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The links and heading anchors of one Markdown page, read the way GitHub renders it, as far
 * as the project's pages need: fenced code blocks and code spans hold no links (a code span
 * may wrap across lines, never across a blank line), inline links and reference definitions
 * are found, and headings are ATX ({@code ## Title}). Setext headings and indented code
 * blocks are not recognised; the pages do not use them.
 */
public record MarkdownPage(Path file, List<Link> links, Set<String> anchors) {

    /** A link as written: its target ({@code docs/a.md#b}, {@code #b}, a URL) and the line it starts on. */
    public record Link(String target, int line) {}

    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})");
    private static final Pattern CODE_SPAN = Pattern.compile("(`+)((?:[^\\n]|\\n(?![ \\t]*\\n))+?)(?<!`)\\1(?!`)");
    private static final Pattern INLINE_LINK = Pattern.compile("\\[[^\\]]*]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern REFERENCE_DEFINITION = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+]:\\s*<?(\\S+?)>?(?:\\s.*)?$");
    private static final Pattern HEADING = Pattern.compile("(?m)^ {0,3}#{1,6}[ \\t]+(.*?)(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern HTML_ANCHOR = Pattern.compile("<a\\s+(?:name|id)=\"([^\"]+)\"");
    private static final Pattern LINK_IN_HEADING = Pattern.compile("!?\\[([^\\]]*)]\\([^)]*\\)");
    /** What GitHub drops from a heading's text when it makes the anchor: all but letters, digits, '_', '-' and spaces. */
    private static final Pattern NOT_IN_ANCHOR = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]");

    public static MarkdownPage read(Path file) throws IOException {
        return parse(file, Files.readString(file));
    }

    public static MarkdownPage parse(Path file, String markdown) {
        String prose = blankOut(CODE_SPAN, withoutFencedCode(markdown));
        List<Link> links = new ArrayList<>();
        for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
            Matcher m = pattern.matcher(prose);
            while (m.find()) {
                links.add(new Link(m.group(1), lineOf(prose, m.start())));
            }
        }
        links.sort((a, b) -> Integer.compare(a.line(), b.line()));
        return new MarkdownPage(file, List.copyOf(links), anchorsOf(withoutFencedCode(markdown)));
    }

    /**
     * GitHub's anchor for a heading: the text without its markup, lowercased, every character
     * but letters, digits, '_', '-' and spaces dropped, each space made a '-'.
     */
    public static String anchorOf(String headingText) {
        String text = LINK_IN_HEADING.matcher(headingText).replaceAll("$1");
        return NOT_IN_ANCHOR.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("").replace(' ', '-');
    }

    /** Repeated headings get "-1", "-2" … after the first, as on GitHub. */
    private static Set<String> anchorsOf(String markdown) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        Matcher m = HEADING.matcher(markdown);
        while (m.find()) {
            String anchor = anchorOf(m.group(1));
            int times = seen.merge(anchor, 1, Integer::sum);
            anchors.add(times == 1 ? anchor : anchor + "-" + (times - 1));
        }
        Matcher html = HTML_ANCHOR.matcher(markdown);
        while (html.find()) {
            anchors.add(html.group(1));
        }
        return anchors;
    }

    /** The text with every fenced code block's lines emptied, so that line numbers stay true. */
    private static String withoutFencedCode(String markdown) {
        StringBuilder out = new StringBuilder(markdown.length());
        String fence = null;
        for (String line : markdown.split("\n", -1)) {
            Matcher m = FENCE.matcher(line);
            if (fence == null && m.find()) {
                fence = m.group(1);
            } else if (fence != null) {
                if (closes(fence, line.strip())) {
                    fence = null;
                }
            } else {
                out.append(line);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A closing fence is the opening one's character, at least as many times, and nothing else. */
    private static boolean closes(String fence, String line) {
        return line.startsWith(fence) && line.chars().allMatch(c -> c == fence.charAt(0));
    }

    /** Replaces each match by spaces, keeping its line breaks, so that offsets and line numbers stay true. */
    private static String blankOut(Pattern pattern, String text) {
        StringBuilder out = new StringBuilder(text);
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            for (int i = m.start(); i < m.end(); i++) {
                if (out.charAt(i) != '\n') {
                    out.setCharAt(i, ' ');
                }
            }
        }
        return out.toString();
    }

    private static int lineOf(String text, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
