package io.assetindex.store;

import java.time.Instant;

/**
 * A config hash with the settings it stands for (a row of {@code config_snapshots}): a frozen
 * version of an analyzer, or of the whole pipeline, that stays explainable after the config
 * changes. Stored once per hash and never changed.
 *
 * @param configHash     {@code sha256:<hex>} of the UTF-8 bytes of {@code settingsText}
 * @param analyzer       the analyzer's name, or {@code pipeline}
 * @param settingsText   the exact canonical text that was hashed
 * @param settingsJson   the same settings as a JSON object, for people
 * @param programVersion the asset-index version that recorded it first
 * @param recordedAt     when it was recorded first
 */
public record ConfigSnapshot(String configHash, String analyzer, String settingsText, String settingsJson,
        String programVersion, Instant recordedAt) {}
