package io.assetindex.store;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.postgresql.Driver;

/**
 * The connections of an index in PostgreSQL, made by the official driver for HikariCP's pool.
 * The password is the one the target carries (from the variable {@code database.password_env}
 * names) or, when it carries none, the driver's own lookup in {@code ~/.pgpass} (or
 * {@code $PGPASSFILE}). Every connection keeps the statements of each file's writes prepared, as
 * SQLite's do ({@link KeptStatements}), and sends text parameters untyped, so that the server
 * reads them as the column they are compared with or stored in (SQLite converts the same way).
 */
final class PostgresConnections implements DataSource {
    private static final int CONNECT_TIMEOUT_SECONDS = 10;

    private final IndexTarget.Postgres target;
    private final Driver driver = new Driver();
    private int loginTimeoutSeconds;

    PostgresConnections(IndexTarget.Postgres target) {
        this.target = target;
    }

    private String jdbcUrl() {
        String host = target.url().host().contains(":") ? "[" + target.url().host() + "]" : target.url().host();
        return "jdbc:postgresql://" + host + ":" + target.url().port() + "/";
    }

    private Properties properties() {
        Properties properties = new Properties();
        properties.setProperty("user", target.url().userOrAccount());
        if (target.password() != null) {
            properties.setProperty("password", target.password());
        }
        if (target.url().sslMode() != null) {
            properties.setProperty("sslmode", target.url().sslMode());
        }
        properties.setProperty("stringtype", "unspecified");
        properties.setProperty("ApplicationName", "asset-index");
        properties.setProperty("connectTimeout", Integer.toString(CONNECT_TIMEOUT_SECONDS));
        properties.setProperty("tcpKeepAlive", "true");
        return properties;
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = driver.connect(jdbcUrl() + encode(target.url().database()), properties());
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver did not accept " + target.describe());
        }
        return (Connection) Proxy.newProxyInstance(PostgresConnections.class.getClassLoader(),
                new Class<?>[] {Connection.class, StatementKeeper.class}, new Keeping(connection));
    }

    private static String encode(String database) {
        return java.net.URLEncoder.encode(database, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the user and password come from the index's target");
    }

    /**
     * Turns a failure to connect into one line that names the database, what is wrong and what to
     * do. The driver's messages never hold the password, and neither does this one.
     */
    static StoreException explain(IndexTarget.Postgres target, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = "PostgreSQL at " + target.url().host() + ":" + target.url().port();
        String user = target.url().userOrAccount();
        String passwordFrom = target.passwordEnv() == null ? "~/.pgpass (database.password_env is not set)"
                : "$" + target.passwordEnv();
        String what;
        if (state.equals("28P01")) {
            what = where + " refused the password of user " + user + "; check the password in " + passwordFrom;
        } else if (state.equals("08004") && String.valueOf(e.getMessage()).contains("password")) {
            what = where + " asks user " + user + " for a password and none was found; set database.password_env to"
                    + " the name of an environment variable that holds it, or add it to ~/.pgpass";
        } else if (state.equals("28000")) {
            what = where + " refused user " + user + " (" + firstLine(e.getMessage()) + "); check the user in"
                    + " database.url and the server's pg_hba.conf";
        } else if (state.equals("3D000")) {
            what = where + " has no database " + target.url().database() + "; create it (createdb -h "
                    + target.url().host() + " -p " + target.url().port() + " -U " + user + " "
                    + target.url().database() + ") or fix database.url";
        } else if (causedBy(e, UnknownHostException.class)) {
            what = "host " + target.url().host() + " is unknown; check the host in database.url";
        } else if (causedBy(e, ConnectException.class) || state.startsWith("08")) {
            what = "cannot reach " + where + " (" + firstLine(e.getMessage()) + "); check that the server is running"
                    + " and that database.url names its host and port";
        } else {
            what = "cannot be used: " + firstLine(e.getMessage());
        }
        return new StoreException("index database " + target.describe() + ": " + what, e);
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    static String firstLine(String message) {
        return message == null ? "unknown error" : message.lines().findFirst().orElse(message);
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // the driver logs through java.util.logging
    }

    @Override
    public void setLoginTimeout(int seconds) {
        loginTimeoutSeconds = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeoutSeconds;
    }

    @Override
    public Logger getParentLogger() {
        return Logger.getLogger("org.postgresql");
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper of " + type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    /**
     * A driver connection that keeps its prepared statements until it closes (see {@link
     * StatementKeeper}); everything else goes to the connection. Used by one thread at a time, as
     * every pooled connection is.
     */
    private static final class Keeping implements InvocationHandler {
        private final Connection connection;
        private final Map<String, PreparedStatement> kept = new HashMap<>();

        Keeping(Connection connection) {
            this.connection = connection;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            switch (method.getName()) {
                case "kept":
                    return kept((String) args[0]);
                case "close":
                    closeKept();
                    break;
                case "equals":
                    return proxy == args[0];
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "toString":
                    return "kept statements of " + connection;
                case "prepareStatement":
                    return prepare(method, args);
                case "createStatement":
                    return PostgresSql.adapting((java.sql.Statement) invoke(method, args));
                default:
                    break;
            }
            return invoke(method, args);
        }

        private Object invoke(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(connection, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }

        /** The statement for SQL written for both databases (see {@link PostgresSql}), with the other arguments given. */
        private PreparedStatement prepare(Method method, Object[] args) throws Throwable {
            String adapted = PostgresSql.adapt((String) args[0]);
            Object[] plain = args.clone();
            plain[0] = PostgresSql.plain(adapted);
            PreparedStatement statement = (PreparedStatement) invoke(method, plain);
            return PostgresSql.numbered(adapted) ? PostgresSql.numbered(statement, PostgresSql.places(adapted))
                    : statement;
        }

        private PreparedStatement kept(String sql) throws Throwable {
            PreparedStatement statement = kept.get(sql);
            if (statement == null || statement.isClosed()) {
                statement = prepare(Connection.class.getMethod("prepareStatement", String.class), new Object[] {sql});
                kept.put(sql, statement);
            } else {
                statement.clearParameters();
            }
            return statement;
        }

        private void closeKept() {
            for (PreparedStatement statement : kept.values()) {
                try {
                    statement.close();
                } catch (SQLException e) {
                    // the connection closes them all anyway
                }
            }
            kept.clear();
        }
    }
}
