package io.assetindex.store;

import io.assetindex.config.AppConfig;
import io.assetindex.config.ConfigException;
import io.assetindex.config.DatabaseSettings;
import io.assetindex.config.PostgresUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Which database holds an index: an SQLite file, or a PostgreSQL database with the password to
 * reach it. A target never shows its password: not in {@link #describe()}, not in
 * {@code toString()}, not in any message made from them.
 */
public sealed interface IndexTarget {

    /** The target the config names, its password read from the environment now. */
    static IndexTarget of(AppConfig config, Function<String, String> environment) {
        DatabaseSettings database = config.database();
        if (database.sqlite()) {
            return new SqliteFile(config.workspace().databaseFile());
        }
        return postgres(database.postgres(), database.passwordEnv(), environment);
    }

    /**
     * A PostgreSQL database, its password read now from the environment variable {@code passwordEnv}
     * names (null: from {@code ~/.pgpass}, or none).
     *
     * @throws ConfigException when the variable is not set
     */
    static Postgres postgres(PostgresUrl url, String passwordEnv, Function<String, String> environment) {
        String password = null;
        if (passwordEnv != null) {
            password = environment.apply(passwordEnv);
            if (password == null || password.isEmpty()) {
                throw new ConfigException("database.password_env names $" + passwordEnv + ", which is not"
                        + " set; set it to the password of " + url.display() + ", or set"
                        + " database.password_env: null to read it from ~/.pgpass");
            }
        }
        return new Postgres(url, passwordEnv, password);
    }

    /** The dialect of SQL the target speaks. */
    Dialect dialect();

    /** How messages name it: the file, or {@code postgresql://user@host:port/db}. */
    String describe();

    /**
     * Whether the index is there to be read: the SQLite file, or the schema in the PostgreSQL
     * database (asked of the server, which must answer).
     *
     * @throws StoreException when the PostgreSQL server cannot be used, with what to do
     */
    boolean exists();

    /** The workspace's SQLite file. */
    record SqliteFile(Path file) implements IndexTarget {
        public SqliteFile {
            file = file.toAbsolutePath().normalize();
        }

        @Override
        public Dialect dialect() {
            return Dialect.SQLITE;
        }

        @Override
        public String describe() {
            return file.toString();
        }

        @Override
        public boolean exists() {
            return Files.isRegularFile(file);
        }
    }

    /** A PostgreSQL database; the password is null when it comes from {@code ~/.pgpass} or none is asked. */
    final class Postgres implements IndexTarget {
        private final PostgresUrl url;
        private final String passwordEnv;
        private final String password;

        public Postgres(PostgresUrl url, String passwordEnv, String password) {
            this.url = url;
            this.passwordEnv = passwordEnv;
            this.password = password;
        }

        public PostgresUrl url() {
            return url;
        }

        /** The variable the password came from, or null (~/.pgpass). */
        public String passwordEnv() {
            return passwordEnv;
        }

        String password() {
            return password;
        }

        @Override
        public Dialect dialect() {
            return Dialect.POSTGRESQL;
        }

        @Override
        public String describe() {
            return url.display();
        }

        @Override
        public boolean exists() {
            return PostgresInspection.inspect(this).isPresent();
        }

        @Override
        public String toString() {
            return describe();
        }
    }
}
