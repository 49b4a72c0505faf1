package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

@SpringBootTest
class MigrationSmokeTests {

    @Autowired
    JdbcClient jdbc;

    @Test
    void migratesAnEmptyDatabaseToTheCoreModel() {
        var tables = jdbc.sql("select table_name from information_schema.tables where table_schema = 'public' order by 1")
                .query(String.class).list();
        assertThat(tables).contains("tenant", "app_user", "user_role", "host", "gpu", "virtual_function", "offering",
                "slice", "slice_event", "usage_sample", "usage_batch", "usage_hourly", "license_edition",
                "license_entitlement", "license_lease");
        assertThat(jdbc.sql("select current_setting('server_version_num')::int / 10000")
                .query(Integer.class).single()).isEqualTo(17);
    }
}
