package io.assetindex.cli;

import picocli.CommandLine.Option;

/** {@code --local}: answer in this process even when the workspace's service runs. */
final class LocalOption {
    @Option(names = "--local", description = "Answer in this process instead of asking the running watcher's API.")
    boolean local;
}
