package io.vgpuhub.web.finance.export;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.Money;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.Subtotal;

/**
 * Statements as PDF (OpenPDF, A4 landscape): for all tenants a summary page first, then each tenant's statement on its
 * own pages; the same figures as the CSV and the pages. Labels are English: the PDF standard fonts carry Latin text
 * only, and embedding a CJK font would make every statement several megabytes.
 */
final class StatementPdf {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final Font TITLE = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 14, Font.NORMAL);
    private static final Font HEADING = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10, Font.NORMAL);
    private static final Font TEXT = FontFactory.getFont(FontFactory.HELVETICA, 8, Font.NORMAL);
    private static final Font BOLD = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 8, Font.NORMAL);
    private static final Color HEADER_FILL = new Color(0xE8, 0xEC, 0xF2);

    private StatementPdf() {
    }

    /** One tenant's statement. */
    static byte[] of(Statement statement) {
        return render(List.of(statement), false);
    }

    /** A month's statements, all tenants, behind a summary page. */
    static byte[] all(List<Statement> statements) {
        return render(statements, true);
    }

    private static byte[] render(List<Statement> statements, boolean summary) {
        ByteArrayOutputStream pdf = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4.rotate(), 28, 28, 28, 28);
        PdfWriter.getInstance(document, pdf);
        document.addTitle("vGPU Hub chargeback statement");
        document.addCreator("vGPU Hub");
        document.open();
        if (summary) {
            summaryPage(document, statements);
        }
        for (int i = 0; i < statements.size(); i++) {
            if (summary || i > 0) {
                document.newPage();
            }
            statementPages(document, statements.get(i));
        }
        if (statements.isEmpty() && !summary) {
            document.add(new Paragraph("No statement.", TEXT));
        }
        document.close();
        return pdf.toByteArray();
    }

    private static void summaryPage(Document document, List<Statement> statements) {
        String month = statements.isEmpty() ? "" : statements.get(0).month().toString();
        document.add(new Paragraph("Chargeback summary " + month, TITLE));
        if (statements.isEmpty()) {
            document.add(new Paragraph("No tenant had charges or adjustments in this month.", TEXT));
            return;
        }
        Statement first = statements.get(0);
        document.add(new Paragraph("Status " + first.status() + " · currency " + currency(first)
                + " · figures up to " + MINUTE.format(first.asOf()) + " UTC", TEXT));
        PdfPTable table = table(new float[] {4, 2, 2, 2}, "Tenant", "Charges", "Adjustments", "Total");
        BigDecimal total = BigDecimal.ZERO;
        for (Statement statement : statements) {
            table.addCell(cell(statement.tenant().name()));
            table.addCell(number(money(statement.charges(), statement)));
            table.addCell(number(money(statement.adjustmentsTotal(), statement)));
            table.addCell(number(money(statement.total(), statement)));
            total = total.add(statement.total());
        }
        table.addCell(bold("All tenants"));
        table.addCell(cell(""));
        table.addCell(cell(""));
        table.addCell(boldNumber(money(total, first)));
        document.add(table);
    }

    private static void statementPages(Document document, Statement statement) {
        document.add(new Paragraph("Chargeback statement: " + statement.tenant().name(), TITLE));
        document.add(new Paragraph("Month " + statement.month() + " · status " + statement.status()
                + " · currency " + currency(statement) + " · figures up to " + MINUTE.format(statement.asOf()) + " UTC",
                TEXT));
        if (statement.unpriced()) {
            document.add(new Paragraph("Some time in this month had no price on the rate card in force and is not billed.", BOLD));
        }
        Map<String, List<StatementLine>> byCostCentre = new LinkedHashMap<>();
        statement.lines().forEach(line -> byCostCentre.computeIfAbsent(line.costCentre().path(), path -> new ArrayList<>()).add(line));
        for (Map.Entry<String, List<StatementLine>> costCentre : byCostCentre.entrySet()) {
            document.add(heading("Cost centre " + costCentre.getKey()));
            PdfPTable table = table(new float[] {3, 2, 4, 1.6f, 1.6f, 1.8f, 1.2f, 1.6f, 1.6f, 1.8f, 1.8f},
                    "VM", "Offering", "Period (UTC)", "Hours", "Rate/h", "Amount", "Edition", "Seat-hours", "Seat rate",
                    "Seat amount", "Line total");
            BigDecimal subtotal = BigDecimal.ZERO;
            for (StatementLine line : costCentre.getValue()) {
                table.addCell(cell(line.vmName()));
                table.addCell(cell(line.offeringCode()));
                table.addCell(cell(MINUTE.format(line.periodStart()) + " to " + MINUTE.format(line.periodEnd())));
                table.addCell(number(line.hours().toPlainString()));
                table.addCell(number(rate(line.ratePerHour())));
                table.addCell(number(money(line.allocationAmount(), statement)));
                table.addCell(cell(line.edition() == null ? "" : line.edition().name()));
                table.addCell(number(line.seatSeconds().signum() == 0 ? "" : line.seatHours().toPlainString()));
                table.addCell(number(line.seatSeconds().signum() == 0 ? "" : rate(line.seatRatePerHour())));
                table.addCell(number(line.seatSeconds().signum() == 0 ? "" : money(line.seatAmount(), statement)));
                table.addCell(number(money(line.amount(), statement)));
                subtotal = subtotal.add(line.amount());
            }
            PdfPCell label = bold("Subtotal " + costCentre.getKey());
            label.setColspan(10);
            table.addCell(label);
            table.addCell(boldNumber(money(subtotal, statement)));
            document.add(table);
        }
        if (!statement.adjustments().isEmpty()) {
            document.add(heading("Adjustments"));
            PdfPTable table = table(new float[] {3, 8, 2, 2}, "Cost centre", "Reason", "Corrects", "Amount");
            for (Adjustment adjustment : statement.adjustments()) {
                table.addCell(cell(adjustment.costCentre().path()));
                table.addCell(cell(adjustment.reason()));
                table.addCell(cell(adjustment.correctsMonth() == null ? "" : adjustment.correctsMonth().toString()));
                table.addCell(number(money(adjustment.amount(), statement)));
            }
            document.add(table);
        }
        if (!statement.lines().isEmpty()) {
            document.add(heading("Subtotals by offering"));
            document.add(subtotals(statement.byOffering(), statement, "Offering"));
            document.add(heading("Subtotals by cost centre (adjustments included)"));
            document.add(subtotals(statement.byCostCentre(), statement, "Cost centre"));
        }
        Paragraph total = new Paragraph("Total " + currency(statement) + " " + money(statement.total(), statement), HEADING);
        total.setAlignment(Element.ALIGN_RIGHT);
        total.setSpacingBefore(8);
        document.add(total);
    }

    private static PdfPTable subtotals(List<Subtotal> subtotals, Statement statement, String keyLabel) {
        PdfPTable table = table(new float[] {4, 2}, keyLabel, "Amount");
        table.setWidthPercentage(40);
        table.setHorizontalAlignment(Element.ALIGN_LEFT);
        for (Subtotal subtotal : subtotals) {
            table.addCell(cell(subtotal.key()));
            table.addCell(number(money(subtotal.amount(), statement)));
        }
        return table;
    }

    private static Paragraph heading(String text) {
        Paragraph heading = new Paragraph(text, HEADING);
        heading.setSpacingBefore(8);
        heading.setSpacingAfter(4);
        return heading;
    }

    private static PdfPTable table(float[] widths, String... headers) {
        PdfPTable table = new PdfPTable(widths);
        table.setWidthPercentage(100);
        table.setHeaderRows(1);
        for (String header : headers) {
            PdfPCell cell = bold(header);
            cell.setBackgroundColor(HEADER_FILL);
            table.addCell(cell);
        }
        return table;
    }

    private static PdfPCell cell(String text) {
        return new PdfPCell(new Phrase(text, TEXT));
    }

    private static PdfPCell bold(String text) {
        return new PdfPCell(new Phrase(text, BOLD));
    }

    private static PdfPCell number(String text) {
        PdfPCell cell = cell(text);
        cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
        return cell;
    }

    private static PdfPCell boldNumber(String text) {
        PdfPCell cell = bold(text);
        cell.setHorizontalAlignment(Element.ALIGN_RIGHT);
        return cell;
    }

    private static String money(BigDecimal amount, Statement statement) {
        return Money.scaled(amount, statement.currency()).toPlainString();
    }

    private static String rate(BigDecimal rate) {
        return rate == null ? "unpriced" : rate.setScale(4).toPlainString();
    }

    private static String currency(Statement statement) {
        return statement.currency() == null ? "(none)" : statement.currency();
    }
}
