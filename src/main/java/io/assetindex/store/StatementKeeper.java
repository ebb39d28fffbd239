package io.assetindex.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;

/** A connection that keeps the statements it prepared for its lifetime (see {@link KeptStatements}). */
interface StatementKeeper {
    /** The statement for {@code sql}, prepared on first use, parameters cleared; the caller never closes it. */
    PreparedStatement kept(String sql) throws SQLException;
}
