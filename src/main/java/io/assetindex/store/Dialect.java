package io.assetindex.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * The SQL that differs between the two databases an index can live in. Most statements are
 * written once, for SQLite, in SQL that PostgreSQL reads too once its connections drop SQLite's
 * planner hints ({@link PostgresSql}); where the meaning differs (sort keys
 * computed from JSON, NULL's place in an order, the keyword index), the store asks the dialect
 * of the connection it holds. PostgreSQL also gets a few functions named as SQLite's ({@code
 * json_valid}, {@code json_extract} as text, {@code instr}, {@code json_each} over an array),
 * created by its first migration, so the shared statements run there unchanged.
 */
public enum Dialect {
    SQLITE {
        @Override
        List<Migrations.Migration> migrations() {
            return Migrations.ALL;
        }

        @Override
        String captureKey() {
            return "(" + Migrations.CAPTURE_KEY + ")";
        }

        @Override
        String capturedAt() {
            return "(" + Migrations.CAPTURED_AT + ")";
        }

        @Override
        String caseless(String column) {
            return column + " COLLATE NOCASE";
        }

        @Override
        String nullsLastDescending() {
            return ""; // NULL sorts first, so last in a descending order
        }
    },
    POSTGRESQL {
        @Override
        List<Migrations.Migration> migrations() {
            return PostgresMigrations.ALL;
        }

        @Override
        String captureKey() {
            return "capture_key(raw_json)";
        }

        @Override
        String capturedAt() {
            return "captured_at(raw_json)";
        }

        @Override
        String caseless(String column) {
            return "lower(" + column + ")";
        }

        @Override
        String nullsLastDescending() {
            return " NULLS LAST";
        }
    };

    /** The dialect of a connection of the pool (HikariCP's proxies answer for the driver's connection). */
    static Dialect of(Connection connection) throws SQLException {
        return connection.isWrapperFor(PGConnection.class) ? POSTGRESQL : SQLITE;
    }

    /** The numbered migrations that make and upgrade this dialect's schema, in order. */
    abstract List<Migrations.Migration> migrations();

    int latestVersion() {
        List<Migrations.Migration> all = migrations();
        return all.get(all.size() - 1).version();
    }

    /**
     * The capture-time sort key of the asset whose {@code raw_json} is in scope (see {@link
     * Migrations#CAPTURE_KEY}), as the expression of the index that sorts by it.
     */
    abstract String captureKey();

    /** The capture time as the probe recorded it (see {@link Migrations#CAPTURED_AT}). */
    abstract String capturedAt();

    /** A text column compared without the case of (at least ASCII) letters. */
    abstract String caseless(String column);

    /** What follows a descending ORDER BY term so that NULL comes last (as SQLite does by itself). */
    abstract String nullsLastDescending();
}
