package io.assetindex.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A PostgreSQL server of a test's own (not {@link TestPostgres}'s shared one), which the test stops
 * and starts again on the same port with the same data: a server restarted under running programs.
 * The superuser connects without a password.
 */
public final class RestartablePostgres implements AutoCloseable {
    private final Path dataDir;
    private final int port;
    private EmbeddedPostgres server;

    private RestartablePostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.port = port;
    }

    /** Makes a new server in {@code dataDir} (an empty or missing folder) and starts it. */
    public static RestartablePostgres start(Path dataDir) {
        RestartablePostgres postgres = new RestartablePostgres(dataDir, freePort());
        postgres.start();
        return postgres;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the stopped server again, with the data it had. */
    public synchronized void start() {
        try {
            Path log = Path.of("target", "test-postgres-restarted.log").toAbsolutePath();
            Files.createDirectories(log.getParent());
            server = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the embedded PostgreSQL server in " + dataDir, e);
        }
    }

    /** Stops the server (a fast shutdown: its clients' connections are ended). */
    public synchronized void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop the embedded PostgreSQL server in " + dataDir, e);
        }
        server = null;
    }

    /** A new, empty database; its {@code postgresql://} URL for the superuser. */
    public synchronized String newDatabase(String name) {
        try (Connection connection = server.getPostgresDatabase().getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("test PostgreSQL: " + e.getMessage(), e);
        }
        return "postgresql://" + TestPostgres.SUPERUSER + "@localhost:" + port + "/" + name;
    }

    /** A JDBC connection to a database of this server, as the superuser. */
    public synchronized Connection connect(String database) throws SQLException {
        return server.getDatabase(TestPostgres.SUPERUSER, database).getConnection();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            stop();
        }
    }
}
