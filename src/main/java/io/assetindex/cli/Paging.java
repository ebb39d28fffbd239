package io.assetindex.cli;

import io.assetindex.store.AssetPage;

/** The bounds of {@code --limit} and {@code --offset} for the commands that page through assets. */
final class Paging {
    private Paging() {}

    /** Exit 2 with what is allowed unless {@code limit} is 1 to 10,000 and {@code offset} 0 or more. */
    static void check(int limit, int offset) {
        if (limit < 1 || limit > AssetPage.MAX_LIMIT || offset < 0) {
            throw new CommandFailure(ExitCode.USAGE, "--limit must be 1 to " + AssetPage.MAX_LIMIT
                    + " and --offset at least 0");
        }
    }
}
