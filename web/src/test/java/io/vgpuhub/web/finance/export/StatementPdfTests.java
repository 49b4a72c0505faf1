package io.vgpuhub.web.finance.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The PDFs are read back with PDFBox, a library other than the one that wrote them. */
class StatementPdfTests {

    @Test
    void aTenantsStatementReadsBackWithItsFigures() throws IOException {
        String text = textOf(StatementPdf.of(StatementSamples.acme()));

        assertThat(text).contains("Chargeback statement: Acme \"Labs\"", "Month 2026-10", "CLOSED", "EUR",
                "Cost centre CC-4711", "Cost centre CC-4711/ML", "cad-01", "A40-8Q", "36.5000", "0.7500", "27.38",
                "5.48", "32.86", "train-7", "24.00", "1.50", "25.50", "Subtotal CC-4711 32.86",
                "Subtotal CC-4711/ML 25.50", "-3.50", "Outage credit", "Total EUR 54.86");
    }

    @Test
    void allTenantsOpenWithASummaryAndGiveEachTenantItsOwnPages() throws IOException {
        byte[] pdf = StatementPdf.all(List.of(StatementSamples.acme(), StatementSamples.beta()));

        try (PDDocument document = Loader.loadPDF(pdf)) {
            assertThat(document.getNumberOfPages()).isEqualTo(3);
            assertThat(page(document, 1)).contains("Chargeback summary 2026-10", "Acme \"Labs\" 58.36 -3.50 54.86",
                    "Beta 0.00 0.00 0.00", "All tenants 54.86");
            assertThat(page(document, 2)).contains("Chargeback statement: Acme \"Labs\"").doesNotContain("Beta");
            assertThat(page(document, 3)).contains("Chargeback statement: Beta", "unpriced",
                    "no price on the rate card in force", "Total EUR 0.00");
        }
    }

    @Test
    void aMonthWithoutStatementsStillGivesAReadableSummary() throws IOException {
        assertThat(textOf(StatementPdf.all(List.of()))).contains("No tenant had charges or adjustments in this month.");
    }

    private static String textOf(byte[] pdf) throws IOException {
        try (PDDocument document = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(document);
        }
    }

    private static String page(PDDocument document, int page) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(document);
    }
}
