package io.assetindex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;

/**
 * A local HTTP server standing in for a remote API: subclasses answer requests normally; tests
 * script failures first (responses sent before answering normally, or one answer for all).
 */
abstract class FakeApiServer implements AutoCloseable {
    private final MockWebServer server = new MockWebServer();
    private final Queue<MockResponse> scripted = new ConcurrentLinkedQueue<>();
    private volatile MockResponse always;

    FakeApiServer() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                MockResponse normal = record(request);
                MockResponse next = scripted.poll();
                if (next != null) {
                    return next;
                }
                return always != null ? always : normal;
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the request and returns the normal answer (sent unless a failure is scripted). */
    abstract MockResponse record(RecordedRequest request);

    /** The base URL to configure: {@code http://127.0.0.1:PORT/v1}. */
    public String baseUrl() {
        String url = server.url("/v1").toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** Sends these before answering normally again, one per request. */
    public void thenRespond(MockResponse... responses) {
        scripted.addAll(List.of(responses));
    }

    /** Answers every request with this (null: answer normally). */
    public void alwaysRespond(MockResponse response) {
        always = response;
    }

    public static MockResponse status(int code, String... headerNameValues) {
        return new MockResponse(code, Headers.of(headerNameValues), "{\"error\":{\"message\":\"status " + code + "\"}}");
    }

    @Override
    public void close() {
        server.close();
    }
}
