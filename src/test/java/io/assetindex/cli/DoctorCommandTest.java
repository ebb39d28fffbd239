package io.assetindex.cli;

import static io.assetindex.cli.InProcess.doctorFinding;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.ReadOnlyFolder;
import io.assetindex.testing.SqliteFile;
import io.assetindex.testing.TestMedia;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor} on a healthy workspace and on broken ones, in-process. */
class DoctorCommandTest {
    @TempDir
    Path workspace;

    private InProcess cli;

    @BeforeEach
    void indexOneFile() {
        TestMedia.jpeg(workspace.resolve("raw_assets/a.jpg"), 16, 16, 1);
        cli = new InProcess(workspace);
        assertThat(cli.run("scan").exitCode()).isZero();
    }

    @Test
    void aHealthySetupPassesEveryCheckButTheWatcherThatIsNotRunning() {
        InProcess.Run doctor = cli.run("doctor", "--json");

        assertThat(doctor.exitCode()).as(doctor.out()).isZero();
        JsonNode report = doctor.json();
        assertThat(report.get("ok").asBoolean()).isTrue();
        for (String check : new String[] {"java", "config", "watch path", ".asset_index", "database", "bit rot", "disk",
                "inotify", "ffprobe", "embedding", "ai"}) {
            assertThat(doctorFinding(report, check).get("status").asText()).as(check).isEqualTo("ok");
        }
        assertThat(doctorFinding(report, "database").get("finding").asText()).contains("schema version", "1 assets");
        assertThat(doctorFinding(report, "ffprobe").get("finding").asText()).startsWith("ffprobe version");
        assertThat(doctorFinding(report, "watcher").get("status").asText()).isEqualTo("warn");
        assertThat(doctorFinding(report, "watcher").get("advice").asText()).contains("asset-index watch");
    }

    @Test
    void bitRotFoundByTheWatcherFailsTheCheckWithWhatToDo() {
        Path database = workspace.resolve(".asset_index/index.db");
        SqliteFile.execute(database, "INSERT INTO bit_rot (host, source_root, rel_path, expected_hash, found_hash,"
                + " size_bytes, mtime_ns, found_at) SELECT host, source_root, rel_path, asset_id, ?, size_bytes,"
                + " mtime_ns, '2026-11-26T10:00:00.000Z' FROM asset_paths", "0".repeat(64));

        InProcess.Run doctor = cli.run("doctor", "--json");

        assertThat(doctor.exitCode()).isEqualTo(ExitCode.FAILURE);
        JsonNode bitRot = doctorFinding(doctor.json(), "bit rot");
        assertThat(bitRot.get("status").asText()).isEqualTo("fail");
        assertThat(bitRot.get("finding").asText()).contains("raw_assets/a.jpg");
        assertThat(bitRot.get("advice").asText()).contains("scan --rehash");
        assertThat(cli.json("integrity").at("/findings/0/verdict").asText()).isEqualTo("bit-rot");
        assertThat(cli.run("status").out()).contains("BIT ROT", "raw_assets/a.jpg");
    }

    @Test
    @Tag("sqlite-only") // the SQLite file beside a bad config or a broken .asset_index
    void aBrokenSetupIsReportedCheckByCheckWithWhatToDo() throws IOException {
        Files.move(workspace.resolve("raw_assets"), workspace.resolve("elsewhere"));
        Path database = workspace.resolve(".asset_index/index.db");
        Files.write(database, TestMedia.jpegBytes(8, 8, 1));
        Files.deleteIfExists(workspace.resolve(".asset_index/index.db-wal"));
        Files.deleteIfExists(workspace.resolve(".asset_index/index.db-shm"));

        InProcess.Run doctor;
        try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(workspace.resolve(".asset_index"))) {
            doctor = cli.run("doctor", "--json");
        }

        assertThat(doctor.exitCode()).isEqualTo(ExitCode.FAILURE);
        JsonNode report = doctor.json();
        assertThat(report.get("ok").asBoolean()).isFalse();
        assertThat(doctorFinding(report, "watch path").get("status").asText()).isEqualTo("fail");
        assertThat(doctorFinding(report, "watch path").get("finding").asText()).contains("raw_assets is missing");
        assertThat(doctorFinding(report, ".asset_index").get("status").asText()).isEqualTo("fail");
        assertThat(doctorFinding(report, ".asset_index").get("advice").asText()).contains("chmod");
        assertThat(doctorFinding(report, "database").get("status").asText()).isEqualTo("fail");
        assertThat(doctorFinding(report, "database").get("finding").asText()).contains("not an SQLite database");
        assertThat(doctorFinding(report, "database").get("advice").asText()).contains("asset-index restore");
        assertThat(doctorFinding(report, "java").get("status").asText()).isEqualTo("ok");
    }

    @Test
    @Tag("sqlite-only") // the SQLite file beside a bad config or a broken .asset_index
    void aBadConfigIsOneFailedFindingAndTheOtherChecksStillRun() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), "workers: many\n");

        InProcess.Run doctor = cli.run("doctor");

        assertThat(doctor.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(doctor.out()).contains("fail  config", "bad config value workers").contains("ok    database");
    }

    @Test
    void anAiModelWhoseKeyIsNotInTheEnvironmentFails() throws IOException {
        Files.writeString(workspace.resolve("asset-index.yaml"), """
                ai:
                  base_url: https://api.openai.com/v1
                  api_key_env: DOCTOR_TEST_KEY
                  transcribe:
                    model: whisper-1
                """);
        JsonNode missing = doctorFinding(cli.run("doctor", "--json").json(), "ai");
        assertThat(missing.get("status").asText()).isEqualTo("fail");
        assertThat(missing.get("finding").asText()).contains("transcribe: whisper-1", "$DOCTOR_TEST_KEY is not set");
        assertThat(missing.get("advice").asText()).contains("EnvironmentFile=");

        cli.env.put("DOCTOR_TEST_KEY", "sk-doctor");
        JsonNode set = doctorFinding(cli.run("doctor", "--json").json(), "ai");
        assertThat(set.get("status").asText()).isEqualTo("ok");
        assertThat(set.toString()).doesNotContain("sk-doctor");
    }

    @Test
    void inotifyCountsTheFoldersAWatcherWouldWatchNotIgnoredOrHiddenOnes() throws IOException {
        for (int i = 0; i < 5; i++) {
            Files.createDirectories(workspace.resolve("raw_assets/proxies/p" + i));
            Files.createDirectories(workspace.resolve("raw_assets/.cache/c" + i));
        }
        Files.createDirectories(workspace.resolve("raw_assets/shoot"));
        Files.writeString(workspace.resolve("asset-index.yaml"), "ignore: [proxies]\n");
        JsonNode inotify = doctorFinding(cli.run("doctor", "--json").json(), "inotify");
        org.junit.jupiter.api.Assumptions.assumeFalse(inotify.get("finding").asText().startsWith("no inotify"));
        assertThat(inotify.get("finding").asText()).startsWith("2 folders to watch, fs.inotify.max_user_watches = ");
    }
}
