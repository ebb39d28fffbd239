package io.assetindex.cli;

import io.assetindex.scan.IntegrityDecisions;
import picocli.CommandLine.Command;

@Command(name = "revoke", mixinStandardHelpOptions = true,
        description = {"Undo 'integrity accept': the content's verdict counts again. When it is corrupt, the content"
                + " leaves the index and its files are read again, failing at the check as before."})
final class IntegrityRevokeCommand extends IntegrityDecisionCommand {

    @Override
    String action() {
        return "revoke";
    }

    @Override
    IntegrityDecisions.Outcome decide(IntegrityDecisions decisions, String contentHash) {
        IntegrityDecisions.Outcome outcome = decisions.revoke(contentHash);
        if (!outcome.changed()) {
            throw new CommandFailure(ExitCode.FAILURE, "content " + contentHash + " is not accepted: nothing to revoke");
        }
        return outcome;
    }

    @Override
    String line(IntegrityDecisions.Outcome outcome) {
        return "revoked the acceptance of " + outcome.contentHash() + "; its verdict counts again"
                + (outcome.verdict() == null ? "" : ": " + outcome.verdict());
    }
}
