package io.vgpuhub.web.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.vgpuhub.web.finance.FinanceFixtures;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Finance closes February 2024 (January first, as months close in order) and downloads its statements as CSV and
 * PDF. The months' slices and hourly usage are the finance tests' SQL fixtures: the rollup only looks an hour back.
 */
@JourneyTest
class FinanceCloseJourneyTests {

    @RegisterExtension
    static final Journey journey = new Journey("finance-close");

    private static final String HEADER = "month,status,currency,tenant_id,tenant,cost_centre,line_type,slice_uuid,vm_name,"
            + "offering,period_start,period_end,allocated_seconds,hours,rate_per_hour,allocation_amount,edition,seat_seconds,"
            + "seat_hours,seat_rate_per_hour,seat_amount,amount,utilization_mean_percent,utilization_peak_percent,"
            + "memory_peak_mib,reason,corrects_month";

    @BeforeAll
    static void januaryAndFebruary2024HaveCharges() {
        new FinanceFixtures(journey.jdbc()).february();
    }

    @Test
    void financeClosesAMonthAndDownloadsItsStatementsAsCsvAndPdf() throws Exception {
        Browser fiona = journey.browser();
        fiona.logIn("fiona");
        fiona.clickLink("Finance");
        By february = By.cssSelector("#months tr[data-month='2024-02']");
        fiona.waitFor("February 2024 in the months", d -> d.findElement(february));
        fiona.saw("months");

        fiona.find(february).findElement(By.linkText("Close…")).click();
        fiona.waitFor("the refusal: January is still open",
                d -> d.findElement(By.cssSelector("#refusals li[data-reason='EARLIER_MONTH_OPEN']")));
        fiona.saw("february-refused");
        fiona.clickLink("Close 2024-01 first");
        fiona.click(By.xpath("//button[.='Close 2024-01 for good']"));
        fiona.waitFor("January is closed", d -> d.findElement(By.id("closed")));
        assertThat(fiona.find(By.cssSelector("p.notice")).getText()).startsWith("2024-01 is closed");
        fiona.saw("january-closed");

        fiona.clickLink("Finance");
        fiona.waitFor("the months", d -> d.findElement(february)).findElement(By.linkText("Close…")).click();
        fiona.waitFor("what closing February freezes", d -> d.findElement(By.id("frozen-tenants")));
        String frozenTotal = fiona.find(By.id("frozen-total")).getText();
        fiona.saw("february-confirm");
        fiona.click(By.xpath("//button[.='Close 2024-02 for good']"));
        fiona.waitFor("February is closed", d -> d.findElement(By.id("closed")));
        fiona.saw("february-closed");

        fiona.clickLink("Statements of 2024-02");
        fiona.waitFor("the month's statements, closed", d -> d.findElement(By.cssSelector("p[data-status='CLOSED']")));
        fiona.saw("february-statements");

        fiona.clickLink("All tenants' statements as CSV");
        Path csv = fiona.downloaded("chargeback-2024-02-all-tenants.csv");
        List<String> lines = List.of(Files.readString(csv, StandardCharsets.UTF_8).split("\r\n"));
        assertThat(lines.get(0)).isEqualTo(HEADER);
        List<List<String>> rows = lines.stream().skip(1).map(line -> List.of(line.split(",", -1))).toList();
        assertThat(rows).allSatisfy(row -> assertThat(row).hasSize(HEADER.split(",").length)
                .startsWith("2024-02", "CLOSED", "EUR"));
        int vm = 8;
        int amount = 21;
        assertThat(rows).extracting(row -> row.get(vm))
                .containsExactlyInAnyOrder("fin-cad-1", "fin-vdi-1", "fin-cad-2", FinanceFixtures.OTHER_VM);
        BigDecimal sum = rows.stream().map(row -> new BigDecimal(row.get(amount))).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(sum).as("the CSV adds up to the total frozen on the close page").isEqualByComparingTo(frozenTotal);

        fiona.clickLink("All tenants' statements as PDF");
        Path pdf = fiona.downloaded("chargeback-2024-02-all-tenants.pdf");
        byte[] bytes = Files.readAllBytes(pdf);
        assertThat(new String(bytes, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (PDDocument document = Loader.loadPDF(bytes)) {
            assertThat(new PDFTextStripper().getText(document)).contains("2024-02", "Acme Research",
                    FinanceFixtures.OTHER_TENANT);
        }
        fiona.saw("downloaded");
    }
}
