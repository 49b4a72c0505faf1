package io.vgpuhub.web.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import io.vgpuhub.web.apitoken.ApiTokens;
import io.vgpuhub.web.placement.FreeCapacity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

/** GET /api/v1/offerings: what the token's tenant may order, priced, with what is free right now. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@AutoConfigureMockMvc
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OfferingsApiTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ApiTokens apiTokens;

    @Autowired
    FreeCapacity capacity;

    @Autowired
    DataSource dataSource;

    ApiFixtures fixtures;
    String tokenA;
    String tokenB;

    @BeforeAll
    void twoTenantsAndAnOfferingOnlyOneOfThemSees() {
        fixtures = new ApiFixtures(jdbc, apiTokens);
        long tenantA = fixtures.tenant("Offerings API A");
        long tenantB = fixtures.tenant("Offerings API B");
        tokenA = fixtures.token(tenantA, fixtures.user(tenantA, "offerings-api-a"));
        tokenB = fixtures.token(tenantB, fixtures.user(tenantB, "offerings-api-b"));
        jdbc.sql("insert into offering_tenant (offering_id, tenant_id) values (?, ?) on conflict do nothing")
                .params(fixtures.offering("A16-8Q"), tenantB).update();
        jdbc.sql("update offering set enabled = false where code = 'A16-16Q'").update();
    }

    @Test
    void anOfferingShowsWhatItIsWhatItCostsAndItsLicenseEdition() throws Exception {
        offerings(tokenA).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.code == 'A40-8Q')].kind", hasItem("VGPU")))
                .andExpect(jsonPath("$[?(@.code == 'A40-8Q')].gpuModel", hasItem("A40")))
                .andExpect(jsonPath("$[?(@.code == 'A40-8Q')].vgpuType", hasItem("A40-8Q")))
                .andExpect(jsonPath("$[?(@.code == 'A40-8Q')].framebufferMib", hasItem(8192)))
                .andExpect(jsonPath("$[?(@.code == 'A40-8Q')].licenseEdition", hasItem("VWS")))
                .andExpect(jsonPath("$[?(@.code == 'A40-8Q')].pricePerHour", hasItem(jdbc.sql(
                        "select price_per_hour from offering where code = 'A40-8Q'").query(BigDecimal.class).single().doubleValue())))
                .andExpect(jsonPath("$[?(@.code == 'A100-40GB 1g.5gb')].migProfile", hasItem("1g.5gb")))
                .andExpect(jsonPath("$[?(@.code == 'A40 whole GPU')].kind", hasItem("PASSTHROUGH")));
    }

    @Test
    void freeCapacityIsWhatPlacementCouldTakeNow() throws Exception {
        long l40s = fixtures.offering("L40S-4Q");
        long a40 = fixtures.offering("A40-8Q");
        offerings(tokenA)
                .andExpect(jsonPath("$[?(@.code == 'L40S-4Q')].freeCapacity", hasItem(capacity.freeInstancesByOffering().get(l40s))))
                .andExpect(jsonPath("$[?(@.code == 'A40-8Q')].freeCapacity", hasItem(capacity.freeInstancesByOffering().get(a40))));
    }

    @Test
    void anOfferingReservedForSomeTenantsIsSeenOnlyByThem() throws Exception {
        offerings(tokenA).andExpect(jsonPath("$[*].code", not(hasItem("A16-8Q"))));
        offerings(tokenB).andExpect(jsonPath("$[*].code", hasItem("A16-8Q")));
    }

    @Test
    void aDisabledOfferingIsNotListed() throws Exception {
        offerings(tokenB).andExpect(jsonPath("$[*].code", not(hasItem("A16-16Q"))))
                .andExpect(jsonPath("$[*].code", hasItem("A16-4Q")));
    }

    @Test
    void everyCallGivesItsDatabaseConnectionBack() throws Exception {
        var pool = ((HikariDataSource) dataSource).getHikariPoolMXBean();
        for (int i = 0; i < 3; i++) {
            offerings(tokenA).andExpect(status().isOk());
            mvc.perform(get("/api/v1/slices").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokenA)).andExpect(status().isOk());
        }
        assertThat(pool.getActiveConnections()).isZero();
    }

    private ResultActions offerings(String token) throws Exception {
        return mvc.perform(get("/api/v1/offerings").header(HttpHeaders.AUTHORIZATION, "Bearer " + token));
    }
}
