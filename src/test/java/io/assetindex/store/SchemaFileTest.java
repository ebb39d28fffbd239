package io.assetindex.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code .asset_index.example/schema.sql} equal to what the migrations create, and
 * {@code schema.postgresql.sql} equal to what PostgreSQL's migrations run (the statements
 * themselves: there is no pg_dump among the tests' server's programs).
 * After adding a migration, regenerate them with {@code mvn test -Dtest=SchemaFileTest -Dschema.update=true}.
 */
class SchemaFileTest {
    static final Path SCHEMA_FILE = Path.of(".asset_index.example/schema.sql");
    static final Path POSTGRESQL_SCHEMA_FILE = Path.of(".asset_index.example/schema.postgresql.sql");

    @TempDir
    Path dir;

    @Test
    void exampleSchemaMatchesTheMigrations() throws IOException {
        String generated;
        try (IndexDatabase database = IndexDatabase.open(dir.resolve("index.db"), 2, Clock.systemUTC())) {
            generated = database.read(c -> {
                StringBuilder out = new StringBuilder("-- Generated from the migrations by SchemaFileTest; do not edit.\n"
                        + "-- Schema version " + Migrations.LATEST + ". Regenerate: mvn test -Dtest=SchemaFileTest -Dschema.update=true\n");
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                        "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid")) {
                    while (rs.next()) {
                        out.append('\n').append(rs.getString(1).strip()).append(";\n");
                    }
                }
                return out.toString();
            });
        }
        if (Boolean.getBoolean("schema.update")) {
            Files.writeString(SCHEMA_FILE, generated);
        }
        assertThat(Files.readString(SCHEMA_FILE))
                .as("%s is out of date; regenerate it with -Dschema.update=true", SCHEMA_FILE)
                .isEqualTo(generated);
    }

    @Test
    void examplePostgresqlSchemaMatchesItsMigrations() throws IOException {
        StringBuilder generated = new StringBuilder("-- Generated from PostgreSQL's migrations by SchemaFileTest; do not"
                + " edit.\n-- Schema version " + Dialect.POSTGRESQL.latestVersion() + ". Regenerate: mvn test"
                + " -Dtest=SchemaFileTest -Dschema.update=true\n");
        for (Migrations.Migration migration : Dialect.POSTGRESQL.migrations()) {
            generated.append("\n-- Migration ").append(migration.version()).append(": ")
                    .append(migration.description()).append('\n');
            for (String statement : migration.statements()) {
                generated.append('\n').append(statement.strip()).append(";\n");
            }
        }
        if (Boolean.getBoolean("schema.update")) {
            Files.writeString(POSTGRESQL_SCHEMA_FILE, generated);
        }
        assertThat(Files.readString(POSTGRESQL_SCHEMA_FILE))
                .as("%s is out of date; regenerate it with -Dschema.update=true", POSTGRESQL_SCHEMA_FILE)
                .isEqualTo(generated.toString());
    }
}
