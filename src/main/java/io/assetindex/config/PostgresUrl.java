package io.assetindex.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A {@code postgresql://USER@HOST:PORT/DATABASE[?sslmode=MODE]} address, read once. It never holds
 * a password: a URL that carries one is refused ({@link #parse}), so neither the config file nor a
 * message that names the database can leak it.
 *
 * @param user    null for the name of the account running the program (as psql does)
 * @param sslMode libpq's sslmode (disable, allow, prefer, require, verify-ca, verify-full), or null
 *                for the driver's default (prefer: TLS when the server offers it)
 */
public record PostgresUrl(String host, int port, String database, String user, String sslMode) {
    public static final int DEFAULT_PORT = 5432;
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");

    public PostgresUrl(String host, int port, String database, String user) {
        this(host, port, database, user, null);
    }

    /** @throws IllegalArgumentException saying what a good URL is like, never repeating a password */
    public static PostgresUrl parse(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL (" + e.getReason() + ")");
        }
        String scheme = Optional.ofNullable(uri.getScheme()).orElse("");
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new IllegalArgumentException("a postgresql:// URL");
        }
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && userInfo.contains(":")) {
            throw new IllegalArgumentException("a URL without a password: put it in the environment variable that"
                    + " database.password_env names, or in ~/.pgpass");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new IllegalArgumentException("a URL with a host, e.g. postgresql://indexer@db.example.com:5432/assets");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath().replaceFirst("^/", "");
        if (path.isEmpty() || path.contains("/")) {
            throw new IllegalArgumentException("a URL that names the database after the host, e.g."
                    + " postgresql://indexer@db.example.com:5432/assets");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a URL without a #fragment");
        }
        String sslMode = null;
        if (uri.getRawQuery() != null) {
            String query = decode(uri.getRawQuery());
            if (!query.startsWith("sslmode=") || !SSL_MODES.contains(query.substring("sslmode=".length()))) {
                throw new IllegalArgumentException("a URL whose only parameter is ?sslmode= one of "
                        + new TreeSet<>(SSL_MODES));
            }
            sslMode = query.substring("sslmode=".length());
        }
        String user = userInfo == null || userInfo.isEmpty() ? null : decode(userInfo);
        return new PostgresUrl(uri.getHost(), uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), decode(path), user,
                sslMode);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The user asset-index connects as: the one in the URL, else the account running it. */
    public String userOrAccount() {
        return user != null ? user : System.getProperty("user.name");
    }

    /** {@code postgresql://user@host:port/database}, the form messages and the log show. */
    public String display() {
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "postgresql://" + (user == null ? "" : user + "@") + hostPart + ":" + port + "/" + database
                + (sslMode == null ? "" : "?sslmode=" + sslMode);
    }
}
