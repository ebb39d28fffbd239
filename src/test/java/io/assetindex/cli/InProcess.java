package io.assetindex.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.TestPostgres;
import io.assetindex.util.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs commands in-process in one workspace, as a script or a person would, with captured output.
 * With {@code -Dasset-index.test.backend=postgresql} the workspace's index is a database of its own
 * in the tests' PostgreSQL server ({@link TestPostgres}), named by the environment the commands see.
 */
final class InProcess {
    /** What a command printed and returned. */
    record Run(int exitCode, String out, String err) {
        JsonNode json() {
            return Json.read(out);
        }
    }

    private final Path workspace;
    /** The environment the commands see. */
    final Map<String, String> env = new HashMap<>();
    /** The clock the commands see; tests of retention move it. */
    Clock clock = Clock.system(ZoneId.of("Europe/Paris"));

    InProcess(Path workspace) {
        this.workspace = workspace;
        env.putAll(TestPostgres.backendEnvironment(workspace));
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CliContext context = new CliContext(env, clock, workspace, false);
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true), context);
        return new Run(code, out.toString(), err.toString());
    }

    /** {@code search ARGS --json}'s document. */
    JsonNode search(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "search";
        System.arraycopy(args, 0, full, 1, args.length);
        return json(full);
    }

    /** Runs a command with {@code --json} added, which must succeed; its document. */
    JsonNode json(String... args) {
        String[] full = java.util.Arrays.copyOf(args, args.length + 1);
        full[args.length] = "--json";
        Run run = run(full);
        if (run.exitCode() != 0) {
            throw new AssertionError(String.join(" ", args) + " exited " + run.exitCode() + ": " + run.err());
        }
        return run.json();
    }

    /** The finding of one check in a {@code doctor --json} document. */
    static JsonNode doctorFinding(JsonNode report, String check) {
        for (JsonNode finding : report.get("findings")) {
            if (finding.get("check").asText().equals(check)) {
                return finding;
            }
        }
        throw new AssertionError("no finding " + check + " in " + report);
    }

    /** The first path of each result of a search, similar or list document, in order. */
    static java.util.List<String> firstPaths(JsonNode document) {
        java.util.List<String> paths = new java.util.ArrayList<>();
        document.get("results").forEach(result -> paths.add(result.at("/paths/0").asText()));
        return paths;
    }
}
