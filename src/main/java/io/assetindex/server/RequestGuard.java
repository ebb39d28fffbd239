package io.assetindex.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntSupplier;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Who may ask, and how the answers are protected. Decides per request, before any work:
 *
 * <ul>
 *   <li>a token, when one is configured: {@code Authorization: Bearer <token>}, compared in
 *       constant time; without one only loopback is served (the config refuses other addresses);</li>
 *   <li>on loopback, the {@code Host} must be this machine (localhost, 127.0.0.1, [::1]), so a
 *       web page on another name that resolves to 127.0.0.1 (DNS rebinding) gets nothing;</li>
 *   <li>a request that changes something (POST) from a browser must come from this server's own
 *       pages: its {@code Origin} must be this server, and {@code Sec-Fetch-Site} not cross-site.</li>
 * </ul>
 *
 * Every response carries headers that keep pages from being framed, sniffed or scripted inline.
 */
final class RequestGuard {
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; object-src 'none';"
            + " frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private final byte[] token;
    private final boolean loopback;
    private final IntSupplier port;

    /**
     * @param token    the token requests must carry, or null (loopback only)
     * @param loopback whether the server listens on a loopback address only
     * @param port     the port it listens on (known once it listens)
     */
    RequestGuard(String token, boolean loopback, IntSupplier port) {
        this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
        this.loopback = loopback;
        this.port = port;
    }

    /** Why the request is refused (status and message), or empty when it may go on. */
    Optional<Refusal> check(String method, HttpFields headers) {
        if (token != null) {
            String authorization = headers.get(HttpHeader.AUTHORIZATION);
            byte[] given = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8) : new byte[0];
            if (!MessageDigest.isEqual(given, token)) {
                return Optional.of(new Refusal(401, "this server needs 'Authorization: Bearer <token>' (the token in"
                        + " the variable named by server.token_env)"));
            }
        }
        if (loopback && !thisMachine(headers.get(HttpHeader.HOST))) {
            return Optional.of(new Refusal(403, "the Host header must name this machine (localhost, 127.0.0.1 or"
                    + " [::1]): requests through another name are refused"));
        }
        if (!method.equals("GET") && !method.equals("HEAD")) {
            String origin = headers.get(HttpHeader.ORIGIN);
            String site = headers.get("Sec-Fetch-Site");
            if ((origin != null && !sameServer(origin, headers.get(HttpHeader.HOST)))
                    || (site != null && site.equalsIgnoreCase("cross-site"))) {
                return Optional.of(new Refusal(403, "changes are accepted only from this server's own pages"));
            }
        }
        return Optional.empty();
    }

    /** A refused request: the HTTP status and one line saying why. */
    record Refusal(int status, String message) {}

    private boolean thisMachine(String host) {
        if (host == null) {
            return false;
        }
        String name = host.toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon > name.lastIndexOf(']')) {
            if (!name.substring(colon + 1).equals(String.valueOf(port.getAsInt()))) {
                return false;
            }
            name = name.substring(0, colon);
        }
        return LOOPBACK_HOSTS.contains(name);
    }

    /** The page that sent it was served here: its origin is this server as the request names it. */
    private boolean sameServer(String origin, String host) {
        String lower = origin.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") || host == null) {
            return false;
        }
        String originHost = lower.substring("http://".length());
        return originHost.equals(host.toLowerCase(Locale.ROOT)) && (!loopback || thisMachine(originHost));
    }

    /** Headers every answer carries. */
    static void secure(HttpFields.Mutable headers) {
        headers.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("X-Frame-Options", "DENY");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("Cross-Origin-Resource-Policy", "same-origin");
    }
}
