package io.assetindex.query;

import io.assetindex.MediaType;

/**
 * A page of the integrity findings: files judged corrupt, then assets with warnings.
 *
 * @param root a watch path's name, or null for all
 * @param type a media type, or null for all
 */
public record IntegrityQuery(String root, MediaType type, int limit, int offset) {}
