package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.store.IndexDatabase;
import io.assetindex.store.IndexStore;
import io.assetindex.store.RunKind;
import io.assetindex.testing.DngFile;
import io.assetindex.testing.JarRunner;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.TestPostgres;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code history}: the scan and verify commands each leave a row with what they counted, on real
 * files (a cut JPEG is corrupt, a NEF without a preview has warnings, a WAV with a byte flipped and
 * its mtime restored is bit rot); a run whose process was killed says it did not finish; paging,
 * the kind filter, the text table.
 */
class HistoryCommandTest {
    @TempDir
    Path workspace;

    private InProcess cli;

    @BeforeEach
    void workspaceWithACorruptFileAndOneWithWarnings() {
        byte[] jpeg = TestMedia.jpegBytes(320, 240, 1);
        TestMedia.write(raw("cut.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        new DngFile(400, 300).write(raw("no_preview.nef"));
        TestMedia.jpeg(raw("fine.jpg"), 320, 240, 3);
        cli = new InProcess(workspace);
    }

    private Path raw(String name) {
        return workspace.resolve("raw_assets").resolve(name);
    }

    private JsonNode newestRun(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "history";
        System.arraycopy(args, 0, full, 1, args.length);
        return cli.json(full).at("/runs/0");
    }

    @Test
    void aScanIsARowWithWhatItCountedIncludingTheCorruptFileAndTheOneWithWarnings() throws IOException {
        assertThat(cli.run("scan").exitCode()).isZero();

        JsonNode run = newestRun();
        assertThat(run.path("kind").asText()).isEqualTo("scan");
        assertThat(run.path("status").asText()).isEqualTo("ok");
        assertThat(run.path("paths")).extracting(JsonNode::asText).containsExactly("raw_assets");
        assertThat(run.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(run.path("host").asText()).isNotBlank();
        assertThat(run.path("finished_at").asText()).isGreaterThanOrEqualTo(run.path("started_at").asText());
        assertThat(run.path("duration_seconds").asDouble()).isGreaterThanOrEqualTo(0);
        JsonNode counts = run.path("counts");
        assertThat(counts.path("seen").asInt()).isEqualTo(3);
        assertThat(counts.path("indexed").asInt()).isEqualTo(2);
        assertThat(counts.path("failed").asInt()).isEqualTo(1);
        assertThat(counts.path("corrupt").asInt()).isEqualTo(1);
        assertThat(counts.path("warnings").asInt()).isEqualTo(1);
        assertThat(counts.path("bytes_read").asLong()).as("hashed for what was indexed")
                .isEqualTo(Files.size(raw("no_preview.nef")) + Files.size(raw("fine.jpg")));

        Files.delete(raw("fine.jpg"));
        TestMedia.jpeg(raw("holiday/copy.jpg"), 320, 240, 1);
        assertThat(cli.run("scan").exitCode()).isZero();

        counts = newestRun().path("counts");
        assertThat(counts.path("seen").asInt()).isEqualTo(3);
        assertThat(counts.path("indexed").asInt()).as("a new picture").isEqualTo(1);
        assertThat(counts.path("skipped").asInt()).as("the NEF, unchanged").isEqualTo(1);
        assertThat(counts.path("failed").asInt()).as("the cut JPEG, tried again").isEqualTo(1);
        assertThat(counts.path("corrupt").asInt()).as("its verdict, from the cache").isEqualTo(1);
        assertThat(counts.path("warnings").asInt()).isZero();
        assertThat(counts.path("deleted").asInt()).isEqualTo(1);
        assertThat(cli.json("history").path("total").asInt()).isEqualTo(2);
    }

    @Test
    void verifyIsARowWithTheBytesItReadTheBitRotAndWhatItIndexedAgain() throws IOException {
        Files.delete(raw("cut.jpg"));
        Files.delete(raw("no_preview.nef"));
        TestMedia.wav(raw("tone.wav"), 0.5, 4);
        new DngFile(400, 300).preview(200, 150, 2).write(raw("photo.nef"));
        TestMedia.jpeg(raw("replaced.jpg"), 320, 240, 5);
        assertThat(cli.json("scan").path("failed").asInt()).isZero();
        FileTime mtime = Files.getLastModifiedTime(raw("tone.wav"));
        byte[] samples = Files.readAllBytes(raw("tone.wav"));
        samples[samples.length - 1] ^= 0x55;
        Files.write(raw("tone.wav"), samples);
        Files.setLastModifiedTime(raw("tone.wav"), mtime);
        new DngFile(400, 300).write(raw("photo.nef"));
        byte[] jpeg = TestMedia.jpegBytes(320, 240, 5);
        TestMedia.write(raw("replaced.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        Files.delete(raw("fine.jpg"));

        assertThat(cli.run("verify", "--rehash").exitCode()).isZero();

        JsonNode run = newestRun();
        assertThat(run.path("kind").asText()).isEqualTo("verify");
        assertThat(run.path("status").asText()).isEqualTo("ok");
        JsonNode counts = run.path("counts");
        assertThat(counts.path("seen").asInt()).isEqualTo(4);
        assertThat(counts.path("bit_rot").asInt()).isEqualTo(1);
        assertThat(counts.path("indexed").asInt()).as("the WAV and the NEF, new content").isEqualTo(2);
        assertThat(counts.path("failed").asInt()).isEqualTo(1);
        assertThat(counts.path("corrupt").asInt()).isEqualTo(1);
        assertThat(counts.path("warnings").asInt()).isEqualTo(1);
        assertThat(counts.path("deleted").asInt()).isEqualTo(1);
        assertThat(counts.path("skipped").asInt()).isZero();
        assertThat(counts.path("bytes_read").asLong()).isGreaterThanOrEqualTo(Files.size(raw("tone.wav")) * 2);
        assertThat(cli.run("history", "--kind", "verify").out()).contains("verify").contains("1 bit rot");
    }

    @Test
    void aRunWhoseProcessWasKilledDidNotFinishAndOneStillRunningSaysSo() throws Exception {
        assertThat(cli.run("scan").exitCode()).isZero();
        Path database = workspace.resolve(".asset_index/index.db");
        Process child = new ProcessBuilder(JarRunner.java(), "-cp", System.getProperty("java.class.path"),
                StartsARunAndWaits.class.getName(), TestPostgres.where(database))
                // Its stderr may hold the JVM's warnings (native access on newer JDKs); stdout says when it started.
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("started");
            assertThat(newestRun().path("status").asText()).as("its process runs").isEqualTo("running");
            assertThat(newestRun().path("pid").asLong()).isEqualTo(child.pid());
        } finally {
            child.destroyForcibly().waitFor();
        }

        JsonNode killed = newestRun();
        assertThat(killed.path("kind").asText()).isEqualTo("scan");
        assertThat(killed.path("status").asText()).isEqualTo("unfinished");
        assertThat(killed.path("finished_at").isNull()).isTrue();
        assertThat(killed.path("duration_seconds").isNull()).isTrue();
        assertThat(killed.path("counts").isNull()).isTrue();

        try (IndexStore store = open(TestPostgres.where(database))) {
            store.runStarted(RunKind.VERIFY, List.of("raw_assets"));
        }
        InProcess.Run text = cli.run("history");
        assertThat(text.out().lines().skip(1).toList()).satisfiesExactly(
                running -> assertThat(running).contains("verify", "running", "s so far"),
                unfinished -> assertThat(unfinished).contains("scan", "DID NOT FINISH"),
                scan -> assertThat(scan).contains("scan", "ok", "raw_assets"),
                last -> assertThat(last).isEqualTo("3 runs"));
    }

    @Test
    void aWatchersRunOnAnotherMachineDidNotFinishOnceAWatcherStartedThereAgain() {
        assertThat(cli.run("scan").exitCode()).isZero();
        Path database = workspace.resolve(".asset_index/index.db");
        try (IndexStore store = open(TestPostgres.where(database))) {
            store.runStarted(RunKind.SCAN_ON_START, List.of("raw_assets"));
            store.runStarted(RunKind.RESCAN, List.of("raw_assets/holiday"));
            store.runStarted(RunKind.SCAN_ON_START, List.of("raw_assets"));
        }
        SqliteFile.execute(database, "UPDATE scan_history SET host = 'ingest-2', process = '1:' || id"
                + " WHERE kind <> 'scan'");

        assertThat(cli.json("history").get("runs")).extracting(run -> run.path("kind").asText() + " "
                + run.path("status").asText()).containsExactly("scan-on-start running", "rescan unfinished",
                "scan-on-start unfinished", "scan ok");
    }

    @Test
    void pagesNewestFirstFiltersByKindAndRefusesAnUnknownKind() {
        assertThat(cli.run("history").exitCode()).as("no index yet").isEqualTo(ExitCode.FAILURE);
        for (int i = 0; i < 3; i++) {
            assertThat(cli.run("scan").exitCode()).isZero();
        }
        assertThat(cli.run("verify").exitCode()).isZero();

        JsonNode page = cli.json("history", "--limit", "2", "--offset", "1");
        assertThat(page.path("total").asInt()).isEqualTo(4);
        assertThat(page.get("runs")).extracting(run -> run.path("kind").asText()).containsExactly("scan", "scan");
        assertThat(page.at("/runs/0/id").asLong()).isGreaterThan(page.at("/runs/1/id").asLong());
        assertThat(cli.run("history", "--limit", "2", "--offset", "1").out()).endsWith("2 of 4 runs shown\n");
        assertThat(cli.json("history", "--kind", "verify").get("runs")).extracting(run -> run.path("kind").asText())
                .containsExactly("verify");
        assertThat(cli.run("history", "--kind", "rescan").out()).isEqualTo("no rescan runs recorded yet\n");
        assertThat(cli.run("history", "--offset", "9").out()).contains("(--offset 9 is past the last)");

        InProcess.Run unknown = cli.run("history", "--kind", "backup");
        assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("kind must be one of [scan, scan-on-start, rescan, verify, verification]");
    }

    /** A process that starts a run in the index it is given, says so, and waits to be killed. */
    /** The index file, or the PostgreSQL database standing in for it. */
    private static IndexStore open(String where) {
        return new IndexStore(IndexDatabase.open(TestPostgres.indexTarget(where), 2, Clock.systemUTC()),
                Clock.systemUTC());
    }

    public static final class StartsARunAndWaits {
        public static void main(String[] args) throws InterruptedException {
            IndexStore store = open(args[0]);
            store.runStarted(RunKind.SCAN, List.of("raw_assets"));
            System.out.println("started");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
