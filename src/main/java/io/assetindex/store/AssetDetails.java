package io.assetindex.store;

import java.util.List;
import java.util.Map;

/**
 * Everything the index knows about one asset, for {@code show}.
 *
 * @param columns   the assets row, by column name
 * @param paths     every path that held it, live ones first
 * @param analyses  what each analyzer returned, per configuration, with when and the settings it ran with
 * @param attempts  the newest process_log rows for this content or its paths
 */
public record AssetDetails(
        Map<String, Object> columns,
        List<Map<String, Object>> paths,
        List<CachedAnalysis> analyses,
        List<LogEntry> attempts) {

    public String id() {
        return (String) columns.get("id");
    }
}
