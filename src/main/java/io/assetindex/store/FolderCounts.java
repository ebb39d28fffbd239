package io.assetindex.store;

import java.util.List;

/**
 * What the index holds under one folder of a watch path (or under the watch paths themselves),
 * counting live paths only: deleted ones are gone from the folder.
 *
 * @param children    the folders one level down, by name ignoring case
 * @param filesHere   live paths directly in the folder
 * @param assetsUnder distinct assets with a live path under the folder, at any depth
 */
public record FolderCounts(List<Child> children, long filesHere, long assetsUnder) {

    /**
     * A folder one level down.
     *
     * @param name   its name (the watch path's name, for the watch paths themselves)
     * @param assets distinct assets with a live path under it, at any depth
     * @param jobId  the job id its live paths record ({@code asset_paths.job_id}), or null: on a jobs root, the
     *               job of every folder under the first level's (null for the watch paths themselves)
     */
    public record Child(String name, long assets, String jobId) {}

    public FolderCounts {
        children = List.copyOf(children);
    }

    /** Whether no live path is under the folder: it is not in the index (or no longer). */
    public boolean isEmpty() {
        return children.isEmpty() && filesHere == 0;
    }
}
