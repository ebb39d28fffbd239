package io.assetindex.store;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * The index database cannot be used: it cannot be opened, is locked, corrupt, or newer
 * than this program. Fatal for the command; the message names the file, the cause and
 * what to do. A running watcher or service tells apart the database that cannot be reached
 * for now ({@link #databaseUnreachable(Throwable)}) and waits for it.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * SQLStates of a server that went away for now: the connection exception class (08: refused,
     * lost, broken) and the operator's interventions (57P01 admin shutdown, 57P02 crash shutdown,
     * 57P03 cannot connect now: starting up or shutting down).
     */
    private static final Set<String> GONE_FOR_NOW = Set.of("57P01", "57P02", "57P03");

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Whether this failure means the database server cannot be reached now (refused, lost, shutting
     * down or starting up, no connection from the pool in its timeout), rather than a problem with
     * what was asked of it: then the same work succeeds once the server is back.
     */
    public static boolean databaseUnreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || GONE_FOR_NOW.contains(sql.getSQLState()))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
