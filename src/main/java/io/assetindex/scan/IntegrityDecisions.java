package io.assetindex.scan;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.config.AppConfig;
import io.assetindex.index.IntegrityAnalyzer;
import io.assetindex.store.Acceptance;
import io.assetindex.store.IndexStore;
import io.assetindex.store.IntegrityLedger;
import io.assetindex.util.Json;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The user's overrides of integrity verdicts, by content: accepting a content as good indexes the
 * files that hold it now (and any found later, wherever they are); revoking it takes the content
 * back out of the index when its verdict is corrupt, so its files are failures again, as before.
 * The files are read again through the scanner (hashed, analyses reused from the cache), so what
 * the index holds is what a scan would make of them.
 */
public final class IntegrityDecisions {
    private final AppConfig config;
    private final IndexStore store;
    private final Indexing indexing;
    private final Clock clock;

    /**
     * What a decision did.
     *
     * @param verdict what the check had said of the content ("corrupt: … (checked by …)", or its warnings)
     * @param changed false when it was already so (accepted again: the note replaced; revoked: was not accepted)
     * @param paths   the files of the content read again (workspace-relative)
     * @param indexed those of them now indexed
     * @param failed  those of them whose attempt failed
     */
    public record Outcome(String contentHash, String verdict, boolean changed, List<String> paths, long indexed,
            long failed) {}

    /** A decision that cannot be taken (nothing to accept), with what to do instead. */
    public static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message, null, false, false);
        }
    }

    /** The machine the decisions are recorded as made on (config {@code host_name}). */
    public String host() {
        return store.host();
    }

    public IntegrityDecisions(AppConfig config, IndexStore store, Indexing indexing, Clock clock) {
        this.config = config;
        this.store = store;
        this.indexing = indexing;
        this.clock = clock;
    }

    /**
     * Accepts the content as good: records who, where, when and why, then indexes the files that
     * hold it and whose last attempt failed at the check.
     *
     * @throws Refused when the content has no integrity verdict, or one without damage or warnings
     */
    public Outcome accept(String contentHash, String user, String host, String note) {
        IntegrityLedger ledger = store.integrity();
        JsonNode verdict = flaggedVerdict(ledger, contentHash);
        boolean changed = !ledger.accepted(contentHash);
        String said = verdict.path("corrupt").asBoolean() ? IntegrityAnalyzer.reason(verdict)
                : "warnings: " + verdict.path("details").asText("no details");
        ledger.accept(new Acceptance(contentHash, user, host, note, said, clock.instant()));
        List<String> paths = ledger.failedPathsOf(contentHash);
        return reread(contentHash, said, changed, paths);
    }

    /**
     * Revokes an acceptance. A content whose verdict is corrupt leaves the index with it, and its
     * live files are read again: they fail at the check, as they did before it was accepted.
     */
    public Outcome revoke(String contentHash) {
        IntegrityLedger ledger = store.integrity();
        Optional<JsonNode> verdict = ledger.latestVerdict(contentHash).map(Json::read);
        boolean corrupt = verdict.isPresent() && verdict.get().path("corrupt").asBoolean();
        List<String> paths = corrupt ? ledger.livePathsOf(contentHash) : List.of();
        boolean was = ledger.revoke(contentHash, corrupt);
        String said = verdict.map(v -> v.path("corrupt").asBoolean() ? IntegrityAnalyzer.reason(v)
                : v.path("details").asText(null)).orElse(null);
        return was ? reread(contentHash, said, true, paths) : new Outcome(contentHash, said, false, List.of(), 0, 0);
    }

    private static JsonNode flaggedVerdict(IntegrityLedger ledger, String contentHash) {
        JsonNode verdict = ledger.latestVerdict(contentHash).map(Json::read).orElseThrow(() -> new Refused(
                "content " + contentHash + " has no integrity verdict: only a file the check has judged can be"
                        + " accepted ('asset-index integrity' lists them)"));
        if (!verdict.path("corrupt").asBoolean() && !verdict.path("warning").asBoolean()) {
            throw new Refused("content " + contentHash + " was judged readable without warnings: there is nothing to"
                    + " accept");
        }
        return verdict;
    }

    private Outcome reread(String contentHash, String said, boolean changed, List<String> paths) {
        List<Path> present = paths.stream().map(config.workspace().root()::resolve)
                .filter(path -> Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)).toList();
        if (present.isEmpty()) {
            return new Outcome(contentHash, said, changed, List.of(), 0, 0);
        }
        ScanSummary summary = indexing.scanner().scan(ScanTargets.forPaths(config, present), ScanOptions.REHASH,
                ScanListener.NONE);
        return new Outcome(contentHash, said, changed, present.stream().map(config.workspace()::display).toList(),
                summary.indexed() + summary.linked(), summary.failed());
    }
}
