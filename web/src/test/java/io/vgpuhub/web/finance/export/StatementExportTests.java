package io.vgpuhub.web.finance.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.YearMonth;
import java.util.List;

import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.metering.chargeback.close.CloseRefusal;
import io.vgpuhub.metering.chargeback.close.MonthClose;
import io.vgpuhub.web.finance.FinanceFixtures;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.context.support.WithAnonymousUser;
import org.springframework.security.test.context.support.TestExecutionEvent;
import org.springframework.security.test.context.support.WithUserDetails;
import org.springframework.test.web.servlet.MockMvc;

/** The downloads over HTTP, against February 2024 of the finance fixtures, in a database of their own. */
@SpringBootTest(properties = { "vgpuhub.test.database=finance-exports", "vgpuhub.lifecycle.check-interval=1h" })
@AutoConfigureMockMvc
class StatementExportTests {

    private static final YearMonth FEBRUARY = YearMonth.parse(FinanceFixtures.MONTH);

    @Autowired
    private MockMvc mvc;

    @Autowired
    private Statements statements;

    @Autowired
    private JdbcClient jdbc;

    @Autowired
    private MonthClose monthClose;

    private FinanceFixtures fixtures;

    @BeforeEach
    void february() {
        fixtures = new FinanceFixtures(jdbc);
        fixtures.february();
    }

    @Test
    @WithUserDetails("fiona")
    void financeDownloadsATenantsStatementAsCsv() throws Exception {
        byte[] csv = mvc.perform(get("/finance/months/2024-02/tenants/{id}/statement.csv", fixtures.acme()))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv;charset=UTF-8"))
                .andExpect(header().string("Content-Disposition", "attachment; filename=\"chargeback-2024-02-tenant-"
                        + fixtures.acme() + ".csv\""))
                .andReturn().getResponse().getContentAsByteArray();

        Statement acme = statements.statement(FEBRUARY, fixtures.acme());
        assertThat(acme.lines()).isNotEmpty();
        assertThat(new String(csv, StandardCharsets.UTF_8)).isEqualTo(StatementCsv.of(List.of(acme)))
                .contains("fin-cad-1", "fin-vdi-1", "fin-cad-2").doesNotContain(FinanceFixtures.OTHER_VM);
    }

    @Test
    @WithUserDetails("fiona")
    void financeDownloadsEveryTenantAsCsvAndPdf() throws Exception {
        String csv = mvc.perform(get("/finance/months/2024-02/statements.csv")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        byte[] pdf = mvc.perform(get("/finance/months/2024-02/statements.pdf")).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/pdf"))
                .andReturn().getResponse().getContentAsByteArray();

        List<Statement> february = statements.statements(FEBRUARY);
        assertThat(csv).isEqualTo(StatementCsv.of(february)).contains("fin-cad-1", FinanceFixtures.OTHER_VM);
        String text = textOf(pdf);
        for (Statement statement : february) {
            assertThat(text).contains("Chargeback statement: " + statement.tenant().name(),
                    "Total " + statement.currency() + " " + statement.total().toPlainString());
        }
        assertThat(text).contains("All tenants " + statements.summary(FEBRUARY).total().toPlainString());
    }

    @Test
    @WithUserDetails("fiona")
    void aClosedMonthDownloadsAsTheSameBytesWhateverHappensAfterItsClose() throws Exception {
        long acme = fixtures.acme();
        long fiona = jdbc.sql("select id from app_user where username = 'fiona'").query(Long.class).single();
        for (YearMonth month = YearMonth.of(2024, 1); !month.isAfter(FEBRUARY); month = month.plusMonths(1)) {
            if (!monthClose.check(month).refusals().stream().anyMatch(r -> r.reason() == CloseRefusal.Reason.ALREADY_CLOSED)) {
                monthClose.close(month, fiona);
            }
        }
        String url = "/finance/months/2024-02/tenants/{id}/statement.csv";
        byte[] closed = mvc.perform(get(url, acme)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsByteArray();

        // A late sample, a card dated back into the month, a renamed tenant and a recoded cost centre.
        jdbc.sql("""
                update usage_hourly set utilization_peak = 100, memory_peak_mib = 8000
                where slice_id = ? and hour = '2024-02-10T10:00:00Z'""").param(fixtures.slice("fin-cad-1")).update();
        jdbc.sql("insert into rate_card (effective_from, currency, name) values ('2024-02-15', 'EUR', 'Late card')").update();
        jdbc.sql("update cost_centre set code = 'CC-LAB-2' where code = 'CC-LAB'").update();
        jdbc.sql("update tenant set name = 'Acme Renamed' where id = ?").param(acme).update();
        try {
            byte[] again = mvc.perform(get(url, acme)).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsByteArray();

            assertThat(again).isEqualTo(closed);
            assertThat(new String(closed, StandardCharsets.UTF_8)).contains(",CLOSED,EUR,", "Acme Research", "CC-LAB");
        } finally {
            jdbc.sql("update tenant set name = 'Acme Research' where id = ?").param(acme).update();
        }
    }

    @Test
    @WithUserDetails("alice")
    void aTenantDownloadsItsOwnStatementOnly() throws Exception {
        String csv = mvc.perform(get("/billing/2024-02/statement.csv")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        byte[] pdf = mvc.perform(get("/billing/2024-02/statement.pdf")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsByteArray();

        assertThat(csv).isEqualTo(StatementCsv.of(List.of(statements.statement(FEBRUARY, fixtures.acme()))))
                .doesNotContain(FinanceFixtures.OTHER_TENANT).doesNotContain(FinanceFixtures.OTHER_VM);
        assertThat(textOf(pdf)).contains("Acme Research", "fin-cad-1").doesNotContain(FinanceFixtures.OTHER_VM);
    }

    @Test
    @WithUserDetails(value = "gary", setupBefore = TestExecutionEvent.TEST_EXECUTION)
    void theOtherTenantGetsItsOwnStatementFromTheSameUrl() throws Exception {
        String csv = mvc.perform(get("/billing/2024-02/statement.csv")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        assertThat(csv).contains(FinanceFixtures.OTHER_VM).doesNotContain("fin-cad-1").doesNotContain("Acme Research");
    }

    @Test
    @WithUserDetails("alice")
    void aTenantCannotUseFinancesDownloads() throws Exception {
        mvc.perform(get("/finance/months/2024-02/tenants/{id}/statement.csv", fixtures.globex())).andExpect(status().isForbidden());
        mvc.perform(get("/finance/months/2024-02/statements.pdf")).andExpect(status().isForbidden());
    }

    @Test
    @WithUserDetails("olivia")
    void otherStaffCannotDownloadStatements() throws Exception {
        mvc.perform(get("/finance/months/2024-02/statements.csv")).andExpect(status().isForbidden());
        mvc.perform(get("/billing/2024-02/statement.csv")).andExpect(status().isForbidden());
    }

    @Test
    @WithAnonymousUser
    void anonymousVisitorsAreSentToLogIn() throws Exception {
        mvc.perform(get("/finance/months/2024-02/statements.csv")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/billing/2024-02/statement.pdf")).andExpect(status().is3xxRedirection());
    }

    @Test
    @WithUserDetails("fiona")
    void aBadOrFutureMonthIsRefusedClearly() throws Exception {
        mvc.perform(get("/finance/months/2024-13/statements.csv")).andExpect(status().isBadRequest());
        mvc.perform(get("/finance/months/2999-01/statements.csv")).andExpect(status().isNotFound());
        mvc.perform(get("/finance/months/2024-02/tenants/{id}/statement.csv", 999_999)).andExpect(status().isNotFound());
    }

    private static String textOf(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }
}
