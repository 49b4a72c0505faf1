package io.vgpuhub.web.finance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.vgpuhub.metering.chargeback.MonthOverview;
import io.vgpuhub.metering.chargeback.MonthSummary;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.metering.chargeback.Subtotal;
import io.vgpuhub.metering.chargeback.TenantTotal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** Finance's pages show the figures Statements computes, the charts carry the summary, and bad addresses get pages. */
@FinancePageTest
@WithUserDetails("fiona")
class FinancePagesTests {

    static final YearMonth FEBRUARY = YearMonth.parse(FinanceFixtures.MONTH);

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Statements statements;

    @Autowired
    JsonMapper json;

    FinanceFixtures fixtures;

    @BeforeEach
    void february() {
        fixtures = new FinanceFixtures(jdbc);
        fixtures.february();
    }

    @Test
    void theMonthsListShowsEachMonthsStandingAndTotal() throws Exception {
        String page = page("/finance");
        MonthOverview february = statements.months().stream().filter(m -> m.month().equals(FEBRUARY)).findFirst().orElseThrow();
        assertThat(february.total()).isPositive();
        assertThat(row(page, "data-month=\"2024-02\"")).contains("href=\"/finance/months/2024-02\"", "Ended, open", "EUR",
                february.total().toPlainString(), "href=\"/finance/months/2024-02/close\"");
        assertThat(row(page, "data-month=\"" + YearMonth.now() + "\"")).contains("Running");
    }

    @Test
    void theMonthSummaryShowsEveryTenantsTotalsAndTheChartsCarryTheSameFigures() throws Exception {
        MonthSummary summary = statements.summary(FEBRUARY);
        assertThat(summary.tenants()).extracting(t -> t.tenant().name()).contains("Acme Research", FinanceFixtures.OTHER_TENANT);
        String page = page("/finance/months/2024-02");

        for (TenantTotal tenant : summary.tenants()) {
            assertThat(row(page, "data-tenant=\"" + tenant.tenant().id() + "\"")).contains(tenant.tenant().name(),
                    cell(tenant.charges()), cell(tenant.adjustments()), cell(tenant.total()),
                    "href=\"/finance/months/2024-02/tenants/" + tenant.tenant().id() + "\"");
        }
        assertThat(page).contains("id=\"month-total\">" + summary.total().toPlainString() + "<");
        for (Subtotal offering : summary.byOffering()) {
            assertThat(row(page, "data-offering=\"" + offering.key() + "\"")).contains(cell(offering.amount()));
        }
        assertThat(page).contains("href=\"/finance/months/2024-02/statements.csv\"", "href=\"/finance/months/2024-02/statements.pdf\"",
                "href=\"/finance/months/2024-02/close\"", "href=\"/finance/months/2024-02/adjustments\"",
                "src=\"/js/finance-charts.js\"");
        // The script is served from the WebJar (the locator finds its version), no CDN.
        assertThat(page).contains("src=\"/webjars/chart.js/dist/chart.umd.min.js\"");
        mvc.perform(get("/webjars/chart.js/dist/chart.umd.min.js")).andExpect(status().isOk());
        mvc.perform(get("/js/finance-charts.js")).andExpect(status().isOk());
        assertThat(page).doesNotContain("<script>", "onload=");

        JsonNode charts = json.readTree(island(page));
        assertThat(charts.get("currency").asString()).isEqualTo(summary.currency()).isEqualTo("EUR");
        List<TenantTotal> biggestFirst = summary.tenants().stream()
                .sorted((a, b) -> b.total().compareTo(a.total())).toList();
        assertThat(strings(charts.get("byTenant").get("labels")))
                .containsExactlyElementsOf(biggestFirst.stream().map(t -> t.tenant().name()).toList());
        assertThat(decimals(charts.get("byTenant").get("amounts"))).usingElementComparator(BigDecimal::compareTo)
                .containsExactlyElementsOf(biggestFirst.stream().map(TenantTotal::total).toList());
        assertThat(strings(charts.get("byOffering").get("labels")))
                .containsExactlyElementsOf(summary.byOffering().stream().map(Subtotal::key).toList());
        assertThat(decimals(charts.get("byOffering").get("amounts"))).usingElementComparator(BigDecimal::compareTo)
                .containsExactlyElementsOf(summary.byOffering().stream().map(Subtotal::amount).toList());
    }

    @Test
    void theChartsSumTheSmallestTenantsIntoOneBar() {
        List<TenantTotal> tenants = new java.util.ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            tenants.add(new TenantTotal(new io.vgpuhub.metering.chargeback.TenantRef(i, "T" + i), BigDecimal.valueOf(i),
                    BigDecimal.ZERO, 1, false));
        }
        MonthSummary summary = new MonthSummary(FEBRUARY, "EUR", io.vgpuhub.metering.chargeback.StatementStatus.OPEN,
                null, tenants, List.of());
        SpendCharts charts = SpendCharts.of(summary, "by tenant", "by offering", n -> n + " others");
        assertThat(charts.byTenant().labels()).containsExactly("T10", "T9", "T8", "T7", "T6", "T5", "T4", "3 others");
        assertThat(charts.byTenant().amounts()).last().isEqualTo(BigDecimal.valueOf(6));
    }

    @Test
    void aTenantsStatementShowsEveryLineItsCostCentreSubtotalsShowbackAndTotal() throws Exception {
        Statement statement = statements.statement(FEBRUARY, fixtures.acme());
        assertThat(statement.lines()).isNotEmpty();
        String page = page("/finance/months/2024-02/tenants/" + fixtures.acme());

        assertThat(page).contains("Acme Research: statement for 2024-02", "data-status=\"OPEN\"",
                "The month has ended but is not closed");
        for (StatementLine line : statement.lines()) {
            assertThat(rows(page, "data-slice=\"" + line.sliceId() + "\"")).anySatisfy(row -> assertThat(row).contains(
                    line.vmName(), line.offeringCode(), cell(line.hours()), cell(line.allocationAmount()),
                    cell(line.seatAmount()), cell(line.amount())));
        }
        statement.byCostCentre().forEach(sum -> assertThat(row(page, "data-cost-centre-total=\"" + sum.key() + "\""))
                .contains(cell(sum.amount())));
        assertThat(page).contains("data-cost-centre=\"" + statement.lines().get(0).costCentre().path() + "\"",
                "/CC-LAB", "Imaging lab");
        assertThat(page).contains("id=\"charges\">" + statement.charges().toPlainString() + "<",
                "id=\"total\">" + statement.total().toPlainString() + "<");
        assertThat(page).contains("href=\"/finance/months/2024-02/tenants/" + fixtures.acme() + "/statement.csv\"",
                "href=\"/finance/months/2024-02/tenants/" + fixtures.acme() + "/statement.pdf\"");
        // fin-cad-1 peaked at 3000 of 8192 MiB all month: the page offers the smaller profile and what it would save.
        var cad = statement.showback().stream().filter(s -> s.sliceId() == fixtures.slice("fin-cad-1")).findFirst().orElseThrow();
        assertThat(cad.hint()).isNotNull();
        assertThat(page).contains("3000 of 8192 MiB", "Rightsizing hints", cad.hint().offeringCode(),
                cad.hint().saving().toPlainString());
        assertThat(page).doesNotContain(FinanceFixtures.OTHER_VM);
    }

    @Test
    void theSliceDrillDownShowsItsLinesShowbackAndDays() throws Exception {
        long slice = fixtures.slice("fin-vdi-1");
        Statement statement = statements.statement(FEBRUARY, fixtures.acme());
        String page = page("/finance/months/2024-02/tenants/" + fixtures.acme() + "/slices/" + slice);
        assertThat(page).contains("fin-vdi-1 in 2024-02", "A40-2B");
        statement.lines().stream().filter(line -> line.sliceId() == slice)
                .forEach(line -> assertThat(page).contains(cell(line.amount()), cell(line.hours())));
        // 10 Feb 08:30:15 to 12 Feb 17:45:50: 15.4958 h on the 10th, 24 on the 11th, 17.7639 h on the 12th.
        assertThat(row(page, "data-day=\"2024-02-10\"")).contains(">15.50<", ">960<");
        assertThat(row(page, "data-day=\"2024-02-11\"")).contains(">24.00<", ">1440<", ">20.00<", ">1500<");
        assertThat(page).doesNotContain("data-day=\"2024-02-13\"");
    }

    @Test
    void aSliceOfAnotherTenantOrAnUnknownTenantIsNotFound() throws Exception {
        mvc.perform(get("/finance/months/2024-02/tenants/" + fixtures.acme() + "/slices/" + fixtures.slice(FinanceFixtures.OTHER_VM)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/finance/months/2024-02/tenants/999999")).andExpect(status().isNotFound());
        String page = mvc.perform(get("/finance/months/2024-02/tenants/999999/slices/1")).andExpect(status().isNotFound())
                .andReturn().getResponse().getContentAsString();
        assertThat(page).contains("There is no tenant with id 999999.");
    }

    @Test
    void aMalformedMonthIsABadRequestPage() throws Exception {
        for (String month : List.of("2024-13", "March", "2024-2", "24-02", "2024-02-01")) {
            String page = mvc.perform(get("/finance/months/" + month)).andExpect(status().isBadRequest())
                    .andReturn().getResponse().getContentAsString();
            assertThat(page).contains("is not a month", "Status 400");
        }
        mvc.perform(get("/finance/months/2024-00/tenants/" + fixtures.acme())).andExpect(status().isBadRequest());
        mvc.perform(get("/finance/months/2024-02/tenants/acme")).andExpect(status().isBadRequest());
    }

    @Test
    void aMonthToComeIsNotFound() throws Exception {
        String next = YearMonth.now().plusMonths(1).toString();
        mvc.perform(get("/finance/months/" + next)).andExpect(status().isNotFound());
        mvc.perform(get("/finance/months/" + next + "/tenants/" + fixtures.acme())).andExpect(status().isNotFound());
    }

    private String page(String url) throws Exception {
        return mvc.perform(get(url)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    static String cell(BigDecimal amount) {
        return ">" + amount.toPlainString() + "<";
    }

    /** The table row that carries the marker attribute. */
    static String row(String page, String marker) {
        List<String> found = rows(page, marker);
        assertThat(found).as("row with " + marker).hasSize(1);
        return found.get(0);
    }

    static List<String> rows(String page, String marker) {
        Matcher m = Pattern.compile("<tr[^>]*" + Pattern.quote(marker) + "[^>]*>(.*?)</tr>", Pattern.DOTALL).matcher(page);
        List<String> rows = new java.util.ArrayList<>();
        while (m.find()) {
            rows.add(m.group());
        }
        return rows;
    }

    static String island(String page) {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"spend-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page);
        assertThat(m.find()).as("the charts' JSON island").isTrue();
        return m.group(1);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new java.util.ArrayList<>();
        array.forEach(node -> values.add(node.asString()));
        return values;
    }

    private static List<BigDecimal> decimals(JsonNode array) {
        List<BigDecimal> values = new java.util.ArrayList<>();
        array.forEach(node -> values.add(node.decimalValue()));
        return values;
    }
}
