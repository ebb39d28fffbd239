package io.assetindex.config;

/**
 * Where the index lives: the workspace's SQLite file (the default) or a PostgreSQL database.
 * Holds no secret: the password is in the environment variable {@link #passwordEnv()} names,
 * or in {@code ~/.pgpass}, and is read only when the database is opened.
 *
 * @param postgres    the PostgreSQL server and database, or null for the workspace's SQLite file
 * @param passwordEnv the NAME of the environment variable holding the password, or null for
 *                    {@code ~/.pgpass} (or a server that asks for none)
 */
public record DatabaseSettings(PostgresUrl postgres, String passwordEnv) {
    public static final DatabaseSettings SQLITE = new DatabaseSettings(null, null);

    public boolean sqlite() {
        return postgres == null;
    }

    /** How the log and error messages name it: never with a password. */
    public String describe() {
        return sqlite() ? "sqlite (.asset_index/index.db)" : postgres.display()
                + (passwordEnv == null ? ", password from ~/.pgpass" : ", password in $" + passwordEnv);
    }
}
