package io.assetindex.cli;

import io.assetindex.store.IndexReader;
import io.assetindex.util.Text;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** An asset named on the command line: by a path that holds it, or by its id or a unique prefix of 6+ characters. */
final class AssetTarget {
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{6,64}");
    private static final Pattern SHORT_ID = Pattern.compile("[0-9a-f]{1,5}");

    private AssetTarget() {}

    /**
     * @return the asset's id, or empty when nothing matches
     * @throws CommandFailure when an id prefix matches several assets
     */
    static Optional<String> resolve(IndexReader reader, String target, Path currentDir) {
        Path path = currentDir.resolve(target).toAbsolutePath().normalize();
        Optional<String> atPath = reader.assetAt(path.toString());
        if (atPath.isPresent()) {
            return atPath;
        }
        if (ID_PREFIX.matcher(target).matches() && !Files.exists(path)) {
            List<String> ids = reader.idsStartingWith(target);
            if (ids.size() > 1) {
                throw new CommandFailure(ExitCode.FAILURE, "id prefix " + target
                        + " matches more than one asset; give more characters");
            }
            return ids.stream().findFirst();
        }
        return Optional.empty();
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
