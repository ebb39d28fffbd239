package io.assetindex.ai;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A reply body read into memory up to a size and by a deadline. A body whose Content-Length is
 * over the size is not read at all; one that sends more is cut off as soon as it passes it (the
 * connection is dropped): the request fails with {@link TooLarge}, and at most the size was held
 * in memory. A body not complete by the deadline is cut off too and fails with a
 * {@link TimeoutException}: the JDK client's request timeout ends when the headers arrive, so
 * without it a server trickling a body would hold a worker as long as it liked. Either way a
 * broken or hostile server cannot make the daemon run out of memory or threads.
 */
final class CappedBody implements HttpResponse.BodySubscriber<byte[]> {

    /** The body was larger than allowed. */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(long maxBytes) {
            super("the reply is larger than " + maxBytes + " bytes", null);
        }
    }

    private final long maxBytes;
    private final long deadlineNanos;
    private final long declaredBytes;
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();
    /** What arrived, as it arrived: one array of the exact size is made at the end, nothing grows past the data. */
    private final List<byte[]> received = new ArrayList<>();
    private long receivedBytes;
    private Flow.Subscription subscription;

    private CappedBody(long maxBytes, long deadlineNanos, long declaredBytes) {
        this.maxBytes = maxBytes;
        this.deadlineNanos = deadlineNanos;
        this.declaredBytes = declaredBytes;
    }

    /**
     * @param maxBytes      the largest body read, less than 2 GiB (it is one array)
     * @param deadlineNanos when the body must be complete, on {@link System#nanoTime()}'s scale
     */
    static HttpResponse.BodyHandler<byte[]> handler(long maxBytes, long deadlineNanos) {
        if (maxBytes <= 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("not a size an array can have: " + maxBytes);
        }
        return response -> new CappedBody(maxBytes, deadlineNanos, declaredLength(response.headers()));
    }

    /** Whether {@code e} or one of its causes is a {@code type}: the JDK client wraps what a body fails with. */
    static boolean causedBy(Throwable e, Class<? extends Exception> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static long declaredLength(java.net.http.HttpHeaders headers) {
        try {
            return headers.firstValueAsLong("Content-Length").orElse(-1);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        this.subscription = subscription;
        if (declaredBytes > maxBytes) {
            subscription.cancel();
            body.completeExceptionally(new TooLarge(maxBytes));
            return;
        }
        body.orTimeout(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS).whenComplete((bytes, e) -> {
            if (e instanceof TimeoutException) {
                subscription.cancel();
            }
        });
        subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (body.isDone()) {
            return;
        }
        for (ByteBuffer buffer : buffers) {
            if (buffer.remaining() > maxBytes - receivedBytes) {
                subscription.cancel();
                body.completeExceptionally(new TooLarge(maxBytes));
                return;
            }
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            received.add(bytes);
            receivedBytes += bytes.length;
        }
    }

    @Override
    public void onError(Throwable throwable) {
        body.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
        byte[] all = new byte[(int) receivedBytes];
        int at = 0;
        for (byte[] chunk : received) {
            System.arraycopy(chunk, 0, all, at, chunk.length);
            at += chunk.length;
        }
        received.clear();
        body.complete(all);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return body;
    }
}
