package io.vgpuhub.web.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.math.BigDecimal;
import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.web.finance.FinanceFixtures;
import io.vgpuhub.web.finance.FinancePageTest;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/**
 * A tenant member sees their own tenant's statements, with the same figures finance sees, and nothing of another
 * tenant's: the tenant comes from the login, and no parameter changes it.
 */
@FinancePageTest
class BillingPagesTests {

    static final YearMonth FEBRUARY = YearMonth.parse(FinanceFixtures.MONTH);

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Statements statements;

    FinanceFixtures fixtures;

    @BeforeEach
    void february() {
        fixtures = new FinanceFixtures(jdbc);
        fixtures.february();
    }

    @Test
    @WithUserDetails("alice")
    void aTenantUserSeesTheirStatementWithFinancesFigures() throws Exception {
        Statement statement = statements.statement(FEBRUARY, fixtures.acme());
        String page = page("/billing/2024-02");
        assertThat(page).contains("Your statement for 2024-02", "Acme Research", "data-status=\"OPEN\"",
                "href=\"/billing/2024-02/statement.csv\"", "href=\"/billing/2024-02/statement.pdf\"");
        for (StatementLine line : statement.lines()) {
            assertThat(page).contains(line.vmName(), cell(line.amount()), cell(line.hours()));
        }
        assertThat(page).contains("id=\"total\">" + statement.total().toPlainString() + "<");
        // No drill-down for tenants: finance's slice pages are not theirs.
        assertThat(page).doesNotContain("/finance/");
    }

    @Test
    @WithUserDetails("alice")
    void theBillingPageShowsTheRunningMonthAndThePastMonthsTotals() throws Exception {
        Statement february = statements.statement(FEBRUARY, fixtures.acme());
        String page = page("/billing");
        assertThat(page).contains("This month so far (" + YearMonth.now() + ")", "data-status=\"RUNNING\"",
                "href=\"/billing/2024-02\"");
        assertThat(page).containsPattern("(?s)data-month=\"2024-02\".*?" + java.util.regex.Pattern.quote(
                cell(february.total())));
    }

    @Test
    @WithUserDetails("alice")
    void aTenantNeverSeesAnotherTenantsStatementWhateverTheUrlSays() throws Exception {
        long globex = fixtures.globex();
        Statement theirs = statements.statement(FEBRUARY, globex);
        assertThat(theirs.lines()).isNotEmpty();
        for (String url : new String[] {"/billing/2024-02", "/billing/2024-02?tenantId=" + globex,
                "/billing/2024-02?tenant=" + globex, "/billing?tenantId=" + globex}) {
            String page = page(url);
            assertThat(page).contains("Acme Research").doesNotContain(FinanceFixtures.OTHER_VM, FinanceFixtures.OTHER_TENANT,
                    "id=\"total\">" + theirs.total().toPlainString() + "<");
        }
        mvc.perform(get("/billing/2024-02/tenants/" + globex)).andExpect(status().isNotFound());
        mvc.perform(get("/finance/months/2024-02/tenants/" + globex)).andExpect(status().isForbidden());
    }

    @Test
    @WithUserDetails("gary")
    void theOtherTenantSeesOnlyItsOwn() throws Exception {
        String page = page("/billing/2024-02");
        assertThat(page).contains(FinanceFixtures.OTHER_VM, FinanceFixtures.OTHER_TENANT)
                .doesNotContain("fin-cad-1", "fin-vdi-1", "Acme Research");
    }

    @Test
    @WithUserDetails("tom")
    void aBadMonthIsABadRequestAndAMonthToComeIsNotFound() throws Exception {
        String page = mvc.perform(get("/billing/2024-13")).andExpect(status().isBadRequest()).andReturn().getResponse()
                .getContentAsString();
        assertThat(page).contains("“2024-13” is not a month");
        mvc.perform(get("/billing/last-month")).andExpect(status().isBadRequest());
        mvc.perform(get("/billing/" + YearMonth.now().plusMonths(2))).andExpect(status().isNotFound());
    }

    private String page(String url) throws Exception {
        return mvc.perform(get(url)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
    }

    private static String cell(BigDecimal amount) {
        return ">" + amount.toPlainString() + "<";
    }
}
