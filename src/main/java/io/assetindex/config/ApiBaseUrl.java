package io.assetindex.config;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for the base URL of an API the program sends requests, and maybe a key, to.
 *
 * <p>A base URL is shown in logs, {@code doctor} and error messages, and stored in the index as
 * part of the embedding model's identity (config hashes, exports). So it must not carry a
 * secret: a user and password ({@code http://user:pass@host}), a query ({@code ?key=...}) or a
 * fragment are refused, and a refused URL is shown masked, never as given. Loopback is judged
 * from the text alone (no name is looked up): {@code localhost}, {@code 127.0.0.0/8} and
 * {@code [::1]}; any other host, private LAN addresses included, is remote.
 */
final class ApiBaseUrl {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    static final String MASK = "***";

    private ApiBaseUrl() {}

    /** Why a text cannot be a base URL: what is allowed instead. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * The URL, without trailing slashes, or why it is refused.
     *
     * @param keyVariableKey the config key that names the key's environment variable, for the advice
     */
    static URI parse(String text, String keyVariableKey) throws Refused {
        String url = text.strip().replaceAll("/+$", "");
        String secretFree = "give the API key through the environment variable named by " + keyVariableKey;
        if (userInfoEnd(url) >= 0) {
            throw new Refused("a URL without a user or password in it; " + secretFree);
        }
        if (url.indexOf('?') >= 0 || url.indexOf('#') >= 0) {
            throw new Refused("a URL without a query (?...) or fragment (#...); " + secretFree);
        }
        String allowed = "an absolute http:// or https:// URL with a host, e.g. https://api.openai.com/v1";
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused(allowed);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.isOpaque() || uri.getHost() == null) {
            throw new Refused(allowed);
        }
        return uri;
    }

    /** Whether requests to it cross the network unencrypted: plain http to a host that is not loopback. */
    static boolean plainHttpToRemoteHost(URI uri) {
        return uri.getScheme().equalsIgnoreCase("http") && !loopback(uri.getHost());
    }

    static boolean loopback(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost")) {
            return true;
        }
        Matcher ipv4 = IPV4.matcher(name);
        if (ipv4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(ipv4.group(i)) > 255) {
                    return false;
                }
            }
            return ipv4.group(1).equals("127");
        }
        if (name.startsWith("[") && name.endsWith("]")) {
            try {
                // A bracketed literal is parsed, never looked up.
                return InetAddress.getByName(name).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }

    /** The text as it may be shown: a user and password, a query and a fragment replaced by {@value #MASK}. */
    static String masked(String text) {
        String shown = text;
        int userInfoEnd = userInfoEnd(shown);
        if (userInfoEnd >= 0) {
            shown = shown.substring(0, authorityStart(shown)) + MASK + shown.substring(userInfoEnd);
        }
        int query = firstOf(shown, "?#");
        return query < 0 ? shown : shown.substring(0, query + 1) + MASK;
    }

    /**
     * Where the user info ends (the index of its '@'), or -1. Any '@' before the query counts: a
     * password holding '/' or ':' is still a password, even where it breaks the URL's syntax.
     */
    private static int userInfoEnd(String text) {
        int query = firstOf(text, "?#");
        int at = text.lastIndexOf('@', (query < 0 ? text.length() : query) - 1);
        return at >= authorityStart(text) ? at : -1;
    }

    private static int authorityStart(String text) {
        int scheme = text.indexOf("://");
        return scheme < 0 ? 0 : scheme + 3;
    }

    private static int firstOf(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
