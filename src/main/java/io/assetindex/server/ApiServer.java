package io.assetindex.server;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ServerSettings;
import io.assetindex.query.LocalQueries;
import io.assetindex.util.Json;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API of a running service (Jetty): {@link ApiHandler}'s routes and the {@link WebPage} on
 * the configured address and port. Sized for one machine's users and scripts, and bounded against a hostile
 * client: at most {@link #MAX_CONNECTIONS} connections (more wait in the kernel's queue), request
 * headers of at most 8 KiB, a connection idle for {@link #IDLE_TIMEOUT_MS} is closed (a client
 * that sends or reads slowly holds no thread meanwhile), at most {@link #MAX_THREADS} requests
 * are answered at once. Errors Jetty answers itself (a malformed request, a path that is
 * ambiguous once decoded) are JSON like the API's own.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("api");
    static final int MAX_CONNECTIONS = 2_000;
    static final int MAX_THREADS = 32;
    static final int IDLE_TIMEOUT_MS = 30_000;
    private static final int HEADER_BYTES = 8 * 1024;

    private final Server server;
    private final ServerConnector connector;
    private final ServerSettings settings;

    private ApiServer(Server server, ServerConnector connector, ServerSettings settings) {
        this.server = server;
        this.connector = connector;
        this.settings = settings;
    }

    /** Why the API could not start, in one line that says what to do. */
    public static final class StartException extends Exception {
        private static final long serialVersionUID = 1L;

        StartException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Starts serving.
     *
     * @param token         the token requests must carry, or null (loopback only)
     * @param requeue       what {@code POST /api/v1/requeue} does
     * @param vectorBytes   the memory the vectors searched in memory hold, for {@code /metrics}
     * @throws StartException when the address cannot be used (the port is taken, the address is not this machine's)
     */
    public static ApiServer start(AppConfig config, String token, LocalQueries queries, Requeue requeue,
            LongSupplier vectorBytes) throws StartException {
        ServerSettings settings = config.server();
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, 2, 60_000);
        threads.setName("api");
        threads.setDaemon(true);
        Server server = new Server(threads);
        server.setStopTimeout(2_000);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(HEADER_BYTES);
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(settings.address());
        connector.setPort(settings.port());
        connector.setIdleTimeout(IDLE_TIMEOUT_MS);
        connector.setAcceptQueueSize(256);
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, connector));
        ApiMetrics metrics = new ApiMetrics(queries::statusReport, vectorBytes);
        RequestGuard guard = new RequestGuard(token, settings.loopback(), connector::getLocalPort);
        server.setHandler(new Handler.Sequence(new WebPage(guard),
                new ApiHandler(queries, new MediaFiles(config), requeue, metrics, guard)));
        server.setErrorHandler(new JsonErrors());
        try {
            server.start();
        } catch (Exception e) {
            stopQuietly(server);
            throw new StartException(startFailure(settings, e), e);
        }
        ApiServer api = new ApiServer(server, connector, settings);
        LOG.info("[api] serving on {}{}", api.url(), token == null ? "" : " (requests need the token)");
        return api;
    }

    /** Where the API answers, e.g. {@code http://127.0.0.1:8317}. */
    public String url() {
        String host = settings.address();
        if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + connector.getLocalPort()).toString();
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        stopQuietly(server);
    }

    private static void stopQuietly(Server server) {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("[api] stopping the server: {}", e.toString());
        }
    }

    private static String startFailure(ServerSettings settings, Exception e) {
        String where = settings.address() + ":" + settings.port();
        Throwable cause = e;
        while (cause.getCause() != null && !(cause instanceof BindException)) {
            cause = cause.getCause();
        }
        if (cause instanceof BindException && String.valueOf(cause.getMessage()).contains("in use")) {
            return "cannot serve the API on " + where + ": the port is in use (another asset-index, or another"
                    + " program); set server.port to a free port, or server.enabled: false";
        }
        if (cause instanceof BindException || cause instanceof UnknownHostException) {
            return "cannot serve the API on " + where + ": " + cause.getMessage() + " (server.address must be an"
                    + " address of this machine, e.g. 127.0.0.1)";
        }
        return "cannot serve the API on " + where + ": " + e;
    }

    /** The errors Jetty answers before a request reaches the routes, as JSON with the same headers. */
    private static final class JsonErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                Callback callback) throws IOException {
            RequestGuard.secure(response.getHeaders());
            String text = message == null || message.isBlank() ? "the request is malformed" : message;
            byte[] body = Json.write(Map.of("error", text, "status", code)).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
