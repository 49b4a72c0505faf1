package io.vgpuhub.web.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import io.vgpuhub.metering.chargeback.MonthOverview;
import io.vgpuhub.metering.chargeback.Statements;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/**
 * The demo's finance data: two rate cards, sub cost centres, a second tenant and months of released slices whose
 * hourly rows match what the allocation rollup would write; seeded once however often the server starts, and enough
 * for the finance pages to show charges in each of the last three months.
 */
@SpringBootTest(properties = { "vgpuhub.test.database=demo-finance", "vgpuhub.demo.finance=true" })
@AutoConfigureMockMvc
class DemoFinanceTests {

    @Autowired
    DemoSeeder seeder;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Statements statements;

    @Autowired
    MockMvc mvc;

    @Test
    void aSecondStartAddsNothing() {
        List<Long> before = counts();
        seeder.run(null);
        assertThat(counts()).isEqualTo(before);
        assertThat(before.get(0)).isEqualTo(2);
        assertThat(before.get(2)).isEqualTo(9);
    }

    @Test
    void theHourlyRowsHoldExactlyEachSlicesAllocatedSeconds() {
        assertThat(jdbc.sql("""
                select count(*) from slice s
                where s.uuid::text in (select uuid::text from slice where vm_name in ('cad-ws-01', 'render-01', 'apps-01'))
                  and (select sum(seconds_allocated) from usage_hourly h where h.slice_id = s.id)
                      <> extract(epoch from date_trunc('second', s.released_at) - date_trunc('second', s.ready_at))
                """).query(Long.class).single()).isZero();
    }

    @Test
    @WithUserDetails("fiona")
    void financeSeesChargesInEachOfTheLastThreeMonths() throws Exception {
        YearMonth now = YearMonth.now(ZoneOffset.UTC);
        List<MonthOverview> months = statements.months();
        for (YearMonth month : List.of(now.minusMonths(2), now.minusMonths(1))) {
            assertThat(months).filteredOn(m -> m.month().equals(month)).singleElement()
                    .satisfies(m -> assertThat(m.total()).isPositive());
            String page = mvc.perform(get("/finance/months/" + month)).andExpect(status().isOk()).andReturn().getResponse()
                    .getContentAsString();
            assertThat(page).contains("Acme Research", DemoFinance.SECOND_TENANT, "id=\"spend-data\"");
        }
    }

    private List<Long> counts() {
        return List.of(jdbc.sql("select count(*) from rate_card").query(Long.class).single(),
                jdbc.sql("select count(*) from cost_centre").query(Long.class).single(),
                jdbc.sql("select count(*) from slice where state = 'RELEASED'").query(Long.class).single(),
                jdbc.sql("select count(*) from license_lease").query(Long.class).single(),
                jdbc.sql("select count(*) from usage_hourly").query(Long.class).single(),
                jdbc.sql("select count(*) from app_user").query(Long.class).single());
    }
}
