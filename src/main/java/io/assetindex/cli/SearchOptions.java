package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.search.VectorIndex.Metric;
import io.assetindex.store.SearchFilter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The filters, paging and metric that {@code search} and {@code similar} share. */
final class SearchOptions {

    /** Metrics as typed on the command line. */
    enum MetricName {
        cosine, l2
    }

    @Mixin
    FilterOptions filters;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "10", description = "At most N results (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "Skip the N nearest (for the next page).")
    int offset;

    @Option(names = "--metric", paramLabel = "METRIC", defaultValue = "cosine",
            description = "Distance: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    MetricName metric;

    @Option(names = "--json", description = "Print one JSON document.")
    boolean json;

    /** The filter, with the paging checked too: exit 2 with what is allowed when a value is not. */
    SearchFilter filter(AppConfig config) {
        Paging.check(limit, offset);
        return filters.filter(config);
    }

    Metric metric() {
        return metric == MetricName.l2 ? Metric.L2 : Metric.COSINE;
    }
}
