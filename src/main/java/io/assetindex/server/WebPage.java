package io.assetindex.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The web page: one HTML shell for every page address ({@code /}, {@code /asset/{id}},
 * {@code /folders}, {@code /status}, {@code /failures}; the script shows the right view) and its
 * scripts, styles and icons under {@code /static/}, all from the jar ({@code web/}). Anything
 * else is left to the API's handler. Requests pass the same {@link RequestGuard} and carry the
 * same headers as the API's; files are revalidated by their hash ({@code ETag}), so a new jar is
 * never shown half old.
 */
final class WebPage extends Handler.Abstract {
    private static final String ROOT = "/web/";
    /** The addresses of the page's views; the shell answers them all. */
    private static final Pattern VIEWS = Pattern.compile("/|/asset/[0-9a-fA-F]{6,64}|/folders|/status|/failures");
    private static final Pattern STATIC = Pattern.compile("/static/([a-z][a-z0-9-]{0,40}\\.(js|css|svg))");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");

    private final RequestGuard guard;
    private final Map<String, Optional<Resource>> loaded = new ConcurrentHashMap<>();

    WebPage(RequestGuard guard) {
        this.guard = guard;
    }

    /** A file of the page, read once from the jar. */
    private record Resource(byte[] bytes, String type, String etag) {}

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return false;
        }
        String path = request.getHttpURI().getPath();
        String name;
        if (VIEWS.matcher(path).matches()) {
            name = "index.html";
        } else {
            var file = STATIC.matcher(path);
            if (!file.matches()) {
                return false;
            }
            name = file.group(1);
        }
        Optional<Resource> resource = loaded.computeIfAbsent(name, WebPage::load);
        if (resource.isEmpty()) {
            return false; // the API's handler answers 404 in JSON
        }
        RequestGuard.secure(response.getHeaders());
        Optional<RequestGuard.Refusal> refusal = guard.check(method, request.getHeaders());
        if (refusal.isPresent()) {
            send(response, callback, refusal.get().status(), "text/plain; charset=utf-8",
                    (refusal.get().message() + "\n").getBytes(StandardCharsets.UTF_8), false);
            return true;
        }
        Resource found = resource.get();
        response.getHeaders().put(HttpHeader.ETAG, found.etag());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        if (found.etag().equals(request.getHeaders().get(HttpHeader.IF_NONE_MATCH))) {
            response.setStatus(304);
            callback.succeeded();
            return true;
        }
        send(response, callback, 200, found.type(), found.bytes(), method.equals("HEAD"));
        return true;
    }

    private static void send(Response response, Callback callback, int status, String type, byte[] body,
            boolean head) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    private static Optional<Resource> load(String name) {
        try (InputStream in = WebPage.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            return Optional.of(new Resource(bytes, type, "\"" + HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16) + "\""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
