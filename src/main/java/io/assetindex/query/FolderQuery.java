package io.assetindex.query;

/**
 * The folders one level below a folder of a watch path, or the watch paths themselves.
 *
 * @param root   a configured watch path, or null for the watch paths themselves
 * @param folder a folder below it, relative to it ("" or null: the watch path itself)
 */
public record FolderQuery(String root, String folder) {}
