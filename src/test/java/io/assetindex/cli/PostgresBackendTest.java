package io.assetindex.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.assetindex.testing.TestMedia;
import io.assetindex.testing.TestPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index in PostgreSQL ({@code database.url}), against the tests' real server: how the password
 * is found, and the one line a wrong setting gives (exit 2 for a bad config, 1 for a server that
 * cannot be used), which never shows the password. Whatever backend the other tests run on.
 */
class PostgresBackendTest {
    private static final String ROLE = "indexer";
    private static final String PASSWORD = "Right-horse-battery-7";
    private static final String WRONG_PASSWORD = "Wrong-staple-42-secret";

    @TempDir
    Path workspace;

    private InProcess cli;
    private String database;

    @BeforeEach
    void setUp() {
        cli = new InProcess(workspace);
        cli.env.remove("ASSET_INDEX_DATABASE__URL");
        database = TestPostgres.newDatabase();
        TestMedia.jpeg(workspace.resolve("raw_assets/harbour_at_dawn.jpg"), 10, 10, 1);
    }

    /** A role that must give its password, owning a database of its own; its URL. */
    private String databaseOfRole() {
        return TestPostgres.ownedByRole(database, ROLE, PASSWORD);
    }

    private void usePostgres(String url) {
        cli.env.put("ASSET_INDEX_DATABASE__URL", url);
    }

    /** Every file under the workspace (logs, state) and the output, none of which may hold the password. */
    private void assertNowhere(String secret, InProcess.Run run) throws IOException {
        assertThat(run.out()).doesNotContain(secret);
        assertThat(run.err()).doesNotContain(secret);
        try (Stream<Path> files = Files.walk(workspace)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(new String(Files.readAllBytes(file), java.nio.charset.StandardCharsets.ISO_8859_1))
                        .as(file.toString()).doesNotContain(secret);
            }
        }
    }

    @Test
    void scanStatusAndSearchUseTheDatabaseTheUrlNames() {
        usePostgres(database);
        TestMedia.jpeg(workspace.resolve("raw_assets/shoot/beach.jpg"), 10, 10, 2);
        assertThat(cli.run("scan").exitCode()).isZero();
        assertThat(cli.json("status").at("/index/path").asText()).isEqualTo(database);
        assertThat(cli.json("status").at("/counts/assets").asInt()).isEqualTo(2);
        assertThat(InProcess.firstPaths(cli.search("harbour", "--mode", "keyword")))
                .containsExactly("raw_assets/harbour_at_dawn.jpg");
        // a folder's page sorts the assets of the paths its index finds (with a type: once it counted them)
        for (String[] folder : List.of(new String[] {"list", "--root", "raw_assets", "--folder", "shoot"},
                new String[] {"list", "--root", "raw_assets", "--folder", "shoot", "--type", "image"})) {
            JsonNode listed = cli.json(folder);
            assertThat(listed.path("total").asInt()).isEqualTo(1);
            assertThat(InProcess.firstPaths(listed)).containsExactly("raw_assets/shoot/beach.jpg");
        }
        assertThat(workspace.resolve(".asset_index/index.db")).doesNotExist();
    }

    @Test
    void thePasswordComesFromTheVariablePasswordEnvNames() throws IOException {
        InProcess.Run scan = scanAsRoleWithPassword(PASSWORD);
        assertThat(scan.exitCode()).as(scan.err()).isZero();
        assertNowhere(PASSWORD, scan);
        assertNowhere(PASSWORD, cli.run("doctor"));
    }

    @Test
    void aWrongPasswordIsOneLineThatNamesTheUserAndWhereThePasswordCameFrom() throws IOException {
        InProcess.Run scan = scanAsRoleWithPassword(WRONG_PASSWORD);
        assertThat(scan.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(scan.err().strip()).doesNotContain("\n")
                .contains("refused the password of user " + ROLE, "$INDEX_DB_PASSWORD");
        assertNowhere(WRONG_PASSWORD, scan);
        InProcess.Run search = cli.run("search", "harbour");
        assertThat(search.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertNowhere(WRONG_PASSWORD, search);
    }

    /** A scan of the role's database, with $INDEX_DB_PASSWORD holding {@code password}. */
    private InProcess.Run scanAsRoleWithPassword(String password) {
        usePostgres(databaseOfRole());
        cli.env.put("ASSET_INDEX_DATABASE__PASSWORD_ENV", "INDEX_DB_PASSWORD");
        cli.env.put("INDEX_DB_PASSWORD", password);
        return cli.run("scan");
    }

    @Test
    void aPasswordVariableThatIsNotSetIsABadConfig() {
        usePostgres(databaseOfRole());
        cli.env.put("ASSET_INDEX_DATABASE__PASSWORD_ENV", "INDEX_DB_PASSWORD");
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(scan.err()).contains("database.password_env names $INDEX_DB_PASSWORD, which is not set");
    }

    @Test
    void withoutPasswordEnvThePasswordComesFromPgpass() throws IOException {
        String url = databaseOfRole();
        usePostgres(url);
        Path pgpass = workspace.resolve("pgpass");
        Files.writeString(pgpass, "localhost:" + TestPostgres.port() + ":*:" + ROLE + ":" + PASSWORD + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        withPgpassFile(pgpass, () -> {
            InProcess.Run scan = cli.run("scan");
            assertThat(scan.exitCode()).as(scan.err()).isZero();
        });
        withPgpassFile(workspace.resolve("no-such-pgpass"), () -> {
            InProcess.Run status = cli.run("status");
            assertThat(status.exitCode()).isEqualTo(ExitCode.FAILURE);
            assertThat(status.err()).contains("asks user " + ROLE + " for a password and none was found",
                    "database.password_env", "~/.pgpass");
        });
    }

    /** Runs with the driver reading this password file instead of ~/.pgpass (the driver's own setting). */
    private static void withPgpassFile(Path file, Runnable work) {
        String property = "org.postgresql.pgpassfile";
        String before = System.getProperty(property);
        System.setProperty(property, file.toString());
        try {
            work.run();
        } finally {
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
        }
    }

    @Test
    void anUnreachableServerIsOneLineAndExitCode1() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        usePostgres("postgresql://indexer@127.0.0.1:" + closedPort + "/assets");
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(scan.err().strip()).doesNotContain("\n").contains("cannot reach PostgreSQL at 127.0.0.1:"
                + closedPort, "check that the server is running");
    }

    @Test
    void anSslModeTheServerCannotMeetIsOneLine() {
        usePostgres(database + "?sslmode=require");
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(scan.err().strip()).doesNotContain("\n").contains(database + "?sslmode=require", "SSL");
        usePostgres(database + "?sslmode=disable");
        assertThat(cli.run("scan").exitCode()).isZero();
    }

    @Test
    void aDatabaseThatDoesNotExistSaysHowToCreateIt() {
        usePostgres("postgresql://" + TestPostgres.SUPERUSER + "@localhost:" + TestPostgres.port() + "/no_such_index");
        InProcess.Run status = cli.run("status");
        assertThat(status.exitCode()).isEqualTo(ExitCode.FAILURE);
        assertThat(status.err()).contains("has no database no_such_index", "createdb");
    }

    @Test
    void aUrlThatIsNotPostgresqlIsABadConfigNamingTheKey() {
        usePostgres("mysql://indexer@db.example.com/assets");
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(scan.err().strip()).doesNotContain("\n").contains("database.url", "postgresql://");
    }

    @Test
    void aPasswordWrittenIntoTheUrlIsRefusedAndNeverShown() throws IOException {
        usePostgres("postgresql://indexer:" + WRONG_PASSWORD + "@db.example.com/assets");
        InProcess.Run scan = cli.run("scan");
        assertThat(scan.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(scan.err()).contains("database.url", "without a password", "password_env");
        assertNowhere(WRONG_PASSWORD, scan);
    }

    @Test
    void backupAndRestoreSayWhatToUseInstead() {
        usePostgres(database);
        InProcess.Run backup = cli.run("backup", "index-copy.db");
        assertThat(backup.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(backup.err()).contains("pg_dump", "asset-index export");
        assertThat(cli.run("restore", "index-copy.db").exitCode()).isEqualTo(ExitCode.USAGE);
    }
}
