package io.assetindex.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * What a command run sees of the outside world, injected so tests can set it.
 *
 * @param interactive whether a person watches (stderr is a terminal): show progress bars
 */
public record CliContext(Map<String, String> environment, Clock clock, Path currentDir, boolean interactive) {
    public CliContext {
        environment = Map.copyOf(environment);
    }
}
