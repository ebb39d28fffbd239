package io.assetindex.cli;

import io.assetindex.config.AppConfig;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexReader;
import io.assetindex.util.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An asset named on the command line: by its id or a unique prefix of 6+ characters, or by a
 * path that holds it. An id goes to the queries as it is (they resolve prefixes, in this process
 * or in the service); a path is looked up in the index here, since the API takes no paths.
 */
final class AssetTarget {
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{6,64}");
    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{1,5}");

    private AssetTarget() {}

    /** Whether the target is an id (or prefix) rather than a path: hexadecimal, and no such file. */
    static boolean isId(String target, Path currentDir) {
        return ID_PREFIX.matcher(target).matches() && !Files.exists(currentDir.resolve(target));
    }

    /**
     * The id to ask for: the target itself when it is an id, else the asset recorded at that path.
     *
     * @throws CommandFailure when the path holds no indexed asset
     */
    static String idOf(AppConfig config, String target, CliContext context) {
        if (isId(target, context.currentDir())) {
            return target;
        }
        return assetAt(config, target, context).orElseThrow(() -> notFound(target));
    }

    /** The asset recorded at the path {@code target} names (live preferred over deleted). */
    static Optional<String> assetAt(AppConfig config, String target, CliContext context) {
        Path path = context.currentDir().resolve(target).toAbsolutePath().normalize();
        try (IndexDatabase database = IndexAccess.openExisting(config, context)) {
            return new IndexReader(database).assetAt(path.toString());
        }
    }

    static CommandFailure notFound(String target) {
        String shown = Text.escapeControls(target);
        if (SHORT_ID.matcher(target).matches()) {
            return new CommandFailure(ExitCode.FAILURE, "no asset with path " + shown
                    + "; an id prefix needs at least 6 characters");
        }
        return new CommandFailure(ExitCode.FAILURE, "no asset with path or id " + shown
                + "; a file that is not indexed yet: run 'asset-index scan' (or see why with 'asset-index log')");
    }
}
