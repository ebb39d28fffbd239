package io.assetindex.store;

import java.sql.Connection;

/**
 * Ending a transaction that did not complete. sqlite-jdbc commits whatever is pending when
 * auto-commit is turned back on, so after any failure of the work (an {@link Error} too: out of
 * memory, a stack overflow, a failed assertion) the transaction is rolled back before auto-commit
 * is restored, and a connection whose rollback fails never gets auto-commit back: its owner must
 * close it, which makes SQLite discard the transaction.
 */
final class FailedTransaction {
    private FailedTransaction() {}

    /**
     * Rolls the transaction back and restores auto-commit.
     *
     * @param cause what made the transaction fail; a failure to roll back is added to it as suppressed
     * @return false when the connection still holds the transaction (close it, never reuse it)
     */
    static boolean rollBack(Connection connection, Throwable cause) {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
            return true;
        } catch (Throwable failure) { // an SQLException, or an Error again
            cause.addSuppressed(failure);
            return false;
        }
    }
}
