package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.assetindex.MediaType;
import io.assetindex.config.PostgresUrl;
import io.assetindex.testing.TestPostgres;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two machines writing one PostgreSQL index at once (the tests' own server, whatever the backend):
 * each store is another host with a pool of its own, so their transactions race as two watchers'
 * do. The same content is one asset with a path per host, no write fails, a claimed analysis
 * keeps the other waiting, and a host's watch paths are owned by one watcher.
 */
class ConcurrentHostsTest {
    private static final int CONTENTS = 200;

    private IndexStore hostA;
    private IndexStore hostB;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        String url = TestPostgres.newDatabase();
        hostA = open(url, "host-a");
        hostB = open(url, "host-b");
    }

    private static IndexStore open(String url, String host) {
        IndexTarget target = new IndexTarget.Postgres(PostgresUrl.parse(url), null, null);
        return new IndexStore(IndexDatabase.open(target, 6, Clock.systemUTC(), host), Clock.systemUTC());
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        hostA.close();
        hostB.close();
    }

    @Test
    void theSameContentStoredOnTwoHostsAtOnceIsOneAssetWithAPathPerHost() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (IndexStore store : List.of(hostA, hostB)) {
            for (int worker = 0; worker < 4; worker++) {
                int first = worker;
                results.add(threads.submit(() -> {
                    go.await();
                    int inserted = 0;
                    // Each host's workers store every content in another order, so the two hosts' groups
                    // meet on the same rows from both sides.
                    for (int i = first; i < CONTENTS; i += 4) {
                        int n = store == hostA ? i : CONTENTS - 1 - i;
                        if (store.recordNewAsset(asset(n), List.of(), null, path(n), entry(n, "new content"),
                                entry(n, "linked"))) {
                            inserted++;
                        }
                    }
                    return inserted;
                }));
            }
        }
        go.countDown();
        int inserted = 0;
        for (Future<Integer> result : results) {
            inserted += result.get(60, TimeUnit.SECONDS);
        }

        assertThat(inserted).as("assets inserted as new, over both hosts").isEqualTo(CONTENTS);
        assertThat(count("SELECT count(*) FROM assets")).isEqualTo(CONTENTS);
        assertThat(count("SELECT count(*) FROM asset_paths WHERE deleted_at IS NULL")).isEqualTo(2L * CONTENTS);
        assertThat(count("SELECT count(*) FROM (SELECT asset_id FROM asset_paths GROUP BY asset_id"
                + " HAVING count(DISTINCT host) = 2) two")).isEqualTo(CONTENTS);
        assertThat(count("SELECT count(*) FROM assets_fts")).as("one keyword row per asset").isEqualTo(CONTENTS);
        assertThat(count("SELECT count(*) FROM process_log WHERE status = 'failed'")).isZero();
        assertThat(hostA.knownPaths("media", "")).hasSize(CONTENTS);
        assertThat(hostB.knownPaths("media", "")).hasSize(CONTENTS);
    }

    @Test
    void twoHostsAddingPathsOfOneKnownAssetAtOnceBothSucceed() throws Exception {
        hostA.recordNewAsset(asset(0), List.of(), null, path(0), entry(0, "new content"), entry(0, "linked"));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Void>> results = new ArrayList<>();
        for (IndexStore store : List.of(hostA, hostB)) {
            for (int worker = 0; worker < 3; worker++) {
                int first = worker;
                results.add(threads.submit(() -> {
                    go.await();
                    for (int i = first; i < 90; i += 3) {
                        PathRecord copy = new PathRecord("media", "copies/" + i + ".jpg", "/data/copies/" + i + ".jpg",
                                null, id(0), 100, 1);
                        store.recordPath(copy, entry(0, "linked"));
                    }
                    return null;
                }));
            }
        }
        go.countDown();
        for (Future<Void> result : results) {
            result.get(60, TimeUnit.SECONDS);
        }
        assertThat(count("SELECT count(*) FROM asset_paths WHERE asset_id = '" + id(0) + "'")).isEqualTo(1 + 2 * 90);
        assertThat(count("SELECT count(*) FROM assets_fts")).isEqualTo(1);
    }

    @Test
    void twoHostsStoringTheFirstVectorsOfAnIndexAtOnceShareOneModelAndNeitherFails() throws Exception {
        CountDownLatch modelMade = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        // Host A's transaction has made the index's first model and holds it uncommitted ...
        Future<Void> first = threads.submit(() -> hostA.database().write(c -> {
            Instant now = Instant.now();
            new AssetRepository().insertIfAbsent(c, asset(1), now);
            new VectorRepository().store(c, id(1), vector(1), now);
            modelMade.countDown();
            try {
                commit.await();
            } catch (InterruptedException e) {
                throw new java.sql.SQLException(e);
            }
            return null;
        }));
        assertThat(modelMade.await(30, TimeUnit.SECONDS)).isTrue();
        // ... while host B stores its own first vector: its model waits for A's.
        Future<Boolean> second = threads.submit(() -> hostB.recordNewAsset(asset(2), List.of(), vector(2), path(2),
                entry(2, "new content"), entry(2, "linked")));
        await("host B waiting on host A's model").atMost(Duration.ofSeconds(30))
                .until(() -> count("SELECT count(*) FROM pg_locks WHERE NOT granted") > 0);
        commit.countDown();
        first.get(30, TimeUnit.SECONDS);

        assertThat(second.get(30, TimeUnit.SECONDS)).as("host B's asset is new and stored").isTrue();
        assertThat(count("SELECT count(*) FROM embedding_models")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM assets_vec")).as("both vectors, in the active model's table")
                .isEqualTo(2);
    }

    @Test
    void aClaimedAnalysisKeepsTheOtherHostWaitingUntilItEnds() throws Exception {
        IndexStore.AnalysisClaim first = hostA.claimAnalysis(id(7));
        assertThat(first.waited()).isFalse();
        CountDownLatch claiming = new CountDownLatch(1);
        Future<Boolean> second = threads.submit(() -> {
            claiming.countDown();
            try (IndexStore.AnalysisClaim claim = hostB.claimAnalysis(id(7))) {
                return claim.waited() && hostB.hasAsset(id(7));
            }
        });
        claiming.await();
        Thread.sleep(300); // the other host's claim must still be waiting: nothing to poll for its absence
        assertThat(second.isDone()).as("the second claim waits while the first is held").isFalse();
        hostA.recordNewAsset(asset(7), List.of(), null, path(7), entry(7, "new content"), entry(7, "linked"));
        first.close();
        assertThat(second.get(30, TimeUnit.SECONDS)).as("it waited, then found the asset there").isTrue();

        try (IndexStore.AnalysisClaim other = hostB.claimAnalysis(id(8))) {
            assertThat(other.waited()).as("a content nobody claims is not waited for").isFalse();
        }
    }

    @Test
    void aSecondWatcherOfTheSameHostAndWatchPathIsRefusedAndNamesTheFirst() {
        WatcherRegistry registryA = new WatcherRegistry(hostA.database(), Clock.systemUTC());
        try (WatcherRegistry.Ownership owner = registryA.register("/work/a", List.of("media", "jobs"), 101, "1.0")) {
            assertThatThrownBy(() -> registryA.register("/work/other", List.of("jobs"), 202, "1.0"))
                    .isInstanceOfSatisfying(WatcherRegistry.OwnedElsewhere.class, e -> {
                        assertThat(e.watchPath()).isEqualTo("jobs");
                        assertThat(e.holder()).hasValueSatisfying(holder -> {
                            assertThat(holder.pid()).isEqualTo(101);
                            assertThat(holder.workspace()).isEqualTo("/work/a");
                        });
                    });
            // Another host's watcher owns its own "media".
            WatcherRegistry registryB = new WatcherRegistry(hostB.database(), Clock.systemUTC());
            try (WatcherRegistry.Ownership other = registryB.register("/work/b", List.of("media"), 303, "1.0")) {
                owner.beat(new WatcherRegistry.Beat("watching", 5, 0, 0, "http://127.0.0.1:1", null));
                Map<String, String> states = new java.util.TreeMap<>();
                for (WatcherRegistry.Watcher w : registryA.all()) {
                    states.put(w.host() + " " + w.workspace(), w.state() + (w.alive() ? " alive" : " stale"));
                }
                assertThat(states).containsExactly(Map.entry("host-a /work/a", "watching alive"),
                        Map.entry("host-b /work/b", "starting alive"));
            }
        }
        try (WatcherRegistry.Ownership again = registryA.register("/work/other", List.of("jobs"), 202, "1.0")) {
            assertThat(registryA.all()).filteredOn(w -> w.pid() == 101).singleElement()
                    .satisfies(w -> assertThat(w.state()).isEqualTo("stopped"));
        }
    }

    @Test
    void aWatcherWhoseLockSessionWasLostTakesItsWatchPathsAgainUnlessAnotherTookThem() throws Exception {
        WatcherRegistry registry = new WatcherRegistry(hostA.database(), Clock.systemUTC());
        try (WatcherRegistry.Ownership first = registry.register("/work/a", List.of("media"), 101, "1.0")) {
            assertThat(first.sessionAlive()).isTrue();
            endLockSessions();
            await("the server ends the session").atMost(Duration.ofSeconds(10)).until(() -> !first.sessionAlive());
            assertThat(first.retake()).isEqualTo(WatcherRegistry.Retake.HELD);
            assertThat(first.sessionAlive()).isTrue();

            endLockSessions();
            await("the server ends the session").atMost(Duration.ofSeconds(10)).until(() -> !first.sessionAlive());
            try (WatcherRegistry.Ownership second = registry.register("/work/other", List.of("media"), 202, "1.0")) {
                assertThat(first.retake()).as("another watcher took it meanwhile").isEqualTo(WatcherRegistry.Retake.TAKEN);
            }
        }
    }

    @Test
    void twoHostsWithAWatchPathOfTheSameNameKeepTheirOwnVolumesLeftOutCountsAndBitRot() throws Exception {
        for (IndexStore store : List.of(hostA, hostB)) {
            store.recordNewAsset(asset(0), List.of(), null, path(0), entry(0, "new content"), entry(0, "linked"));
        }
        hostA.recordVolume("media", "", "dev-a", 10, null);
        hostA.recordVolume("media", "card", "dev-a2", 3, "the card is not mounted");
        hostB.recordVolume("media", "", "dev-b", 20, null);
        hostA.recordLeftOut("media", new LeftOut(Map.of("oga", new LeftOut.Extension(2, "media/a.oga")), 0));
        hostB.recordLeftOut("media", new LeftOut(Map.of(), 5));
        DuePath due = new DuePath("media", "0.jpg", "/data/media/0.jpg", id(0), 100, 1);
        VerificationLedger ledgerA = new VerificationLedger(hostA.database());
        VerificationLedger ledgerB = new VerificationLedger(hostB.database());
        ledgerA.bitRot(due, id(99), Instant.now());
        ledgerB.bitRot(due, id(98), Instant.now());

        assertThat(hostA.volumes("media")).containsOnlyKeys("", "card")
                .hasEntrySatisfying("", volume -> assertThat(volume.device()).isEqualTo("dev-a"));
        assertThat(hostB.volumes("media")).containsOnlyKeys("")
                .hasEntrySatisfying("", volume -> assertThat(volume.device()).isEqualTo("dev-b"));
        assertThat(hostA.heldVolumes()).extracting(held -> held.getValue().relPrefix()).containsExactly("card");
        assertThat(hostB.heldVolumes()).isEmpty();

        IndexReader readerA = new IndexReader(hostA.database());
        IndexReader readerB = new IndexReader(hostB.database());
        assertThat(readerA.leftOut()).singleElement().satisfies(counted -> assertThat(counted.leftOut().files())
                .isEqualTo(2));
        assertThat(readerB.leftOut()).singleElement().satisfies(counted -> assertThat(counted.leftOut().files())
                .isEqualTo(5));
        assertThat(ledgerA.bitRot(10)).extracting(BitRot::foundHash).containsExactly(id(99));
        assertThat(ledgerB.bitRot(10)).extracting(BitRot::foundHash).containsExactly(id(98));
        assertThat(readerA.counts().bitRotFiles()).isEqualTo(1);
        assertThat(readerA.counts().held()).hasSize(1);
        assertThat(readerB.counts().held()).isEmpty();
        assertThat(readerB.integrityFindings(null, 10)).filteredOn(f -> f.verdict().equals("bit-rot"))
                .extracting(IntegrityFinding::relPath).containsExactly("0.jpg");

        // B's file reads right again: its finding goes, A's stays; pruning leaves A's current one too.
        ledgerB.verified(due, Instant.now());
        assertThat(ledgerB.pruneBitRot()).isZero();
        assertThat(ledgerB.countBitRot()).isZero();
        assertThat(ledgerA.countBitRot()).isEqualTo(1);
        hostB.forgetVolume("media", "");
        assertThat(hostA.volumes("media")).containsKey("");
        assertThat(count("SELECT count(*) FROM volumes")).isEqualTo(2);
    }

    /** Ends the server sessions that hold advisory locks, as a restart of the server would. */
    private void endLockSessions() throws Exception {
        count("SELECT count(pg_terminate_backend(pid)) FROM (SELECT DISTINCT pid FROM pg_locks"
                + " WHERE locktype = 'advisory' AND pid <> pg_backend_pid()) holders");
    }

    private long count(String sql) throws Exception {
        return hostA.database().read(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    private static String id(int n) {
        return String.format("%064x", n + 1);
    }

    private static NewAsset asset(int n) {
        return new NewAsset(id(n), n + ".jpg", "/data/media/" + n + ".jpg", "media", null, MediaType.IMAGE, 100,
                1.0, Map.of(), "{}");
    }

    private static PathRecord path(int n) {
        return new PathRecord("media", n + ".jpg", "/data/media/" + n + ".jpg", null, id(n), 100, 1);
    }

    private static VectorRecord vector(int n) {
        return new VectorRecord("sha256:model", "test-model", "{}", new float[] {n, 1, 0});
    }

    private static LogEntry entry(int n, String detail) {
        return LogEntry.ok("media/" + n + ".jpg", id(n), detail, 1, Instant.now());
    }
}
