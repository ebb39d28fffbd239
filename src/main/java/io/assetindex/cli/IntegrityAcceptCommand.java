package io.assetindex.cli;

import io.assetindex.scan.IntegrityDecisions;
import io.assetindex.store.Acceptance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "accept", mixinStandardHelpOptions = true,
        description = {"Mark a content as good despite its integrity verdict (a false positive): it is indexed, here"
                + " and wherever the same bytes are found later, through moves, copies and re-analysis.",
                "Records who (user, host), when and why; 'show' and the web page say so. The files holding it"
                        + " whose last attempt failed at the check are read and indexed now.",
                "'asset-index integrity revoke' undoes it."})
final class IntegrityAcceptCommand extends IntegrityDecisionCommand {

    @Option(names = "--note", paramLabel = "TEXT", description = "Why it is good (kept with the decision).")
    String note;

    @Override
    String action() {
        return "accept";
    }

    @Override
    IntegrityDecisions.Outcome decide(IntegrityDecisions decisions, String contentHash) {
        String why = note == null || note.isBlank() ? null : note.strip().replaceAll("\\p{Cntrl}", " ");
        if (why != null && why.length() > Acceptance.MAX_NOTE_CHARS) {
            throw new CommandFailure(ExitCode.USAGE, "--note is " + why.length() + " characters; at most "
                    + Acceptance.MAX_NOTE_CHARS);
        }
        return decisions.accept(contentHash, System.getProperty("user.name", "unknown"), decisions.host(), why);
    }

    @Override
    String line(IntegrityDecisions.Outcome outcome) {
        return (outcome.changed() ? "accepted " : "accepted again (the note replaced) ") + outcome.contentHash()
                + " as good; it had been judged " + outcome.verdict();
    }
}
