package io.vgpuhub.web.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The demo provider's license orders: one in force per edition, a vWS order running out soon and one already over,
 * seeded once however often the server starts.
 */
@SpringBootTest
class DemoEntitlementsTests {

    @Autowired
    DemoSeeder seeder;

    @Autowired
    JdbcClient jdbc;

    @Test
    void everyEditionHasSeatsNowAndASecondStartAddsNone() {
        seeder.run(null);

        assertThat(jdbc.sql("select count(*) from license_entitlement where order_reference like 'DEMO-%'")
                .query(Long.class).single()).isEqualTo(6);
        Map<String, Object> seatsNow = jdbc.sql("""
                select edition, sum(seats) from license_entitlement
                where order_reference like 'DEMO-%' and valid_from <= now() and (valid_until is null or valid_until > now())
                group by edition
                """).query((rs, row) -> Map.entry(rs.getString(1), (Object) rs.getLong(2))).list().stream()
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        assertThat(seatsNow).containsEntry("VWS", 20L).containsEntry("VPC", 32L).containsEntry("VAPPS", 8L)
                .containsEntry("VCS", 4L);
        assertThat(jdbc.sql("""
                select order_reference from license_entitlement
                where order_reference like 'DEMO-%' and valid_until between now() + interval '40 days' and now() + interval '46 days'
                """).query(String.class).list()).containsExactly("DEMO-VWS-EXPANSION");
        assertThat(jdbc.sql("select valid_until < now() from license_entitlement where order_reference = 'DEMO-VWS-PILOT'")
                .query(Boolean.class).single()).isTrue();
    }
}
