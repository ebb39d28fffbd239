package io.assetindex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PostgresUrlTest {
    @Test
    void readsUserHostPortAndDatabase() {
        assertThat(PostgresUrl.parse("postgresql://indexer@db.example.com:6543/assets"))
                .isEqualTo(new PostgresUrl("db.example.com", 6543, "assets", "indexer"));
    }

    @Test
    void thePortIs5432AndTheUserTheAccountWhenLeftOut() {
        PostgresUrl url = PostgresUrl.parse("postgres://db/assets");
        assertThat(url.port()).isEqualTo(5432);
        assertThat(url.user()).isNull();
        assertThat(url.userOrAccount()).isEqualTo(System.getProperty("user.name"));
        assertThat(url.display()).isEqualTo("postgresql://db:5432/assets");
    }

    @Test
    void refusesAPasswordInTheUrlWithoutRepeatingIt() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://indexer:hunter2@db/assets"))
                .hasMessageContaining("without a password").hasMessageNotContaining("hunter2");
    }

    @Test
    void refusesOtherSchemesAndUrlsWithoutADatabase() {
        assertThatThrownBy(() -> PostgresUrl.parse("mysql://db/assets")).hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db")).hasMessageContaining("names the database");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db/a?password=x"))
                .hasMessageContaining("only parameter is ?sslmode=");
    }

    @Test
    void takesAnSslModeAsPsqlDoes() {
        PostgresUrl url = PostgresUrl.parse("postgresql://indexer@db/assets?sslmode=verify-full");
        assertThat(url.sslMode()).isEqualTo("verify-full");
        assertThat(url.display()).isEqualTo("postgresql://indexer@db:5432/assets?sslmode=verify-full");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db/assets?sslmode=sometimes"))
                .hasMessageContaining("verify-full");
    }
}
