package io.assetindex.server;

import io.assetindex.query.StatusReport;
import io.assetindex.state.WatcherSnapshot;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMemoryMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * {@code /metrics} in the Prometheus text format: what the watcher did since it started (files
 * processed, skipped, failed; AI calls, failures, tokens), what waits (the queue), what the index
 * holds (assets by type, paths, vectors, failing files), the API's request latencies by route,
 * and the JVM's memory. The index's figures come from the same {@link StatusReport} as
 * {@code status}, built once per scrape.
 */
final class ApiMetrics {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram latency;
    private final Supplier<StatusReport> reports;
    private StatusReport scraped;

    ApiMetrics(Supplier<StatusReport> reports, LongSupplier vectorBytes) {
        this.reports = reports;
        latency = Histogram.builder().name("asset_index_http_request_duration_seconds")
                .help("Time to answer an API request, by route").labelNames("route")
                .classicUpperBounds(0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)
                .classicOnly().register(registry);
        counter("asset_index_files_processed_total", "Files indexed or linked since the watcher started",
                WatcherSnapshot::processedCount);
        counter("asset_index_files_skipped_total", "Files found already indexed since the watcher started",
                WatcherSnapshot::skippedCount);
        counter("asset_index_files_failed_total", "Files that failed since the watcher started",
                WatcherSnapshot::failedCount);
        GaugeWithCallback.builder().name("asset_index_queue_depth").help("Files waiting or in progress")
                .callback(cb -> state().ifPresent(s -> cb.call(s.queueDepth()))).register(registry);
        GaugeWithCallback.builder().name("asset_index_assets").help("Assets (distinct contents) by media type")
                .labelNames("type").callback(cb -> counts().ifPresent(c -> {
                    cb.call(c.image(), "image");
                    cb.call(c.video(), "video");
                    cb.call(c.audio(), "audio");
                })).register(registry);
        GaugeWithCallback.builder().name("asset_index_paths").help("Paths recorded, live or deleted")
                .labelNames("state").callback(cb -> counts().ifPresent(c -> {
                    cb.call(c.livePaths(), "live");
                    cb.call(c.deletedPaths(), "deleted");
                })).register(registry);
        GaugeWithCallback.builder().name("asset_index_vectors").help("Vectors per embedding model and state")
                .labelNames("model", "state").callback(cb -> counts().ifPresent(c -> c.vectors()
                        .forEach(v -> cb.call(v.vectors(), v.model(), v.state())))).register(registry);
        GaugeWithCallback.builder().name("asset_index_failing_files").help("Files whose last attempt failed")
                .callback(cb -> counts().ifPresent(c -> cb.call(c.failingFiles()))).register(registry);
        GaugeWithCallback.builder().name("asset_index_integrity_files")
                .help("Files by integrity verdict: corrupt, warning, accepted (as good), bit_rot").labelNames("verdict")
                .callback(cb -> counts().ifPresent(c -> {
                    cb.call(c.corruptFiles(), "corrupt");
                    cb.call(c.warningFiles(), "warning");
                    cb.call(c.acceptedFiles(), "accepted");
                    cb.call(c.bitRotFiles(), "bit_rot");
                })).register(registry);
        GaugeWithCallback.builder().name("asset_index_vector_memory_bytes")
                .help("Memory held by the vectors searched in memory").callback(cb -> cb.call(vectorBytes.getAsLong()))
                .register(registry);
        CounterWithCallback.builder().name("asset_index_ai_calls_total").help("AI requests since the watcher started")
                .labelNames("model").callback(cb -> ai().forEach((model, usage) -> cb.call(value(usage, "calls"), model)))
                .register(registry);
        CounterWithCallback.builder().name("asset_index_ai_failures_total").help("AI requests that failed")
                .labelNames("model").callback(cb -> ai().forEach((model, usage) -> cb.call(value(usage, "failures"),
                        model))).register(registry);
        CounterWithCallback.builder().name("asset_index_ai_tokens_total").help("AI tokens used, as the API reported")
                .labelNames("model", "kind").callback(cb -> ai().forEach((model, usage) -> {
                    cb.call(value(usage, "prompt_tokens"), model, "prompt");
                    cb.call(value(usage, "completion_tokens"), model, "completion");
                })).register(registry);
        JvmMemoryMetrics.builder().register(registry);
    }

    private void counter(String name, String help, java.util.function.ToLongFunction<WatcherSnapshot> value) {
        CounterWithCallback.builder().name(name).help(help)
                .callback(cb -> state().ifPresent(s -> cb.call(value.applyAsLong(s)))).register(registry);
    }

    /** Records how long a request to {@code route} took. */
    void observe(String route, long nanos) {
        latency.labelValues(route).observe(nanos / 1e9);
    }

    /** The text exposition; the index's figures are read once for it. */
    synchronized byte[] scrape() throws IOException {
        scraped = reports.get();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
            return out.toByteArray();
        } finally {
            scraped = null;
        }
    }

    static String contentType() {
        return PrometheusTextFormatWriter.CONTENT_TYPE;
    }

    private java.util.Optional<WatcherSnapshot> state() {
        return scraped == null || scraped.watcher() == null ? java.util.Optional.empty()
                : java.util.Optional.ofNullable(scraped.watcher().state());
    }

    private java.util.Optional<StatusReport.StatusCounts> counts() {
        return scraped == null ? java.util.Optional.empty() : java.util.Optional.ofNullable(scraped.counts());
    }

    private Map<String, Map<String, Long>> ai() {
        return state().map(WatcherSnapshot::ai).orElse(Map.of());
    }

    private static double value(Map<String, Long> usage, String key) {
        Long value = usage.get(key);
        return value == null ? 0 : value;
    }
}
