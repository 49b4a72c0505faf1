package io.vgpuhub.web.finance.export;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.YearMonth;
import java.util.List;
import java.util.NoSuchElementException;

import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.Statements;
import io.vgpuhub.web.finance.UnknownFinanceItemException;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * Statements as CSV and PDF downloads: for finance one tenant's or every tenant's, for a tenant its own (the tenant
 * comes from the signed-in user, never from the URL).
 */
@Controller
class StatementExportController {

    private static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);

    private final Statements statements;
    private final Clock clock;

    StatementExportController(Statements statements, Clock clock) {
        this.statements = statements;
        this.clock = clock;
    }

    @GetMapping("/finance/months/{month}/statements.csv")
    ResponseEntity<byte[]> allCsv(@PathVariable YearMonth month) {
        return csv(all(month), "chargeback-" + month + "-all-tenants.csv");
    }

    @GetMapping("/finance/months/{month}/statements.pdf")
    ResponseEntity<byte[]> allPdf(@PathVariable YearMonth month) {
        return pdf(StatementPdf.all(all(month)), "chargeback-" + month + "-all-tenants.pdf");
    }

    @GetMapping("/finance/months/{month}/tenants/{tenantId}/statement.csv")
    ResponseEntity<byte[]> tenantCsv(@PathVariable YearMonth month, @PathVariable long tenantId) {
        return csv(List.of(one(month, tenantId)), filename(month, tenantId, "csv"));
    }

    @GetMapping("/finance/months/{month}/tenants/{tenantId}/statement.pdf")
    ResponseEntity<byte[]> tenantPdf(@PathVariable YearMonth month, @PathVariable long tenantId) {
        return pdf(StatementPdf.of(one(month, tenantId)), filename(month, tenantId, "pdf"));
    }

    @GetMapping("/billing/{month}/statement.csv")
    ResponseEntity<byte[]> ownCsv(@AuthenticationPrincipal PortalUser user, @PathVariable YearMonth month) {
        return csv(List.of(one(month, ownTenant(user))), filename(month, ownTenant(user), "csv"));
    }

    @GetMapping("/billing/{month}/statement.pdf")
    ResponseEntity<byte[]> ownPdf(@AuthenticationPrincipal PortalUser user, @PathVariable YearMonth month) {
        return pdf(StatementPdf.of(one(month, ownTenant(user))), filename(month, ownTenant(user), "pdf"));
    }

    private List<Statement> all(YearMonth month) {
        UnknownFinanceItemException.requireBegun(month, clock, "finance.error.futureMonth");
        return statements.statements(month);
    }

    private Statement one(YearMonth month, long tenantId) {
        UnknownFinanceItemException.requireBegun(month, clock, "finance.error.futureMonth");
        try {
            return statements.statement(month, tenantId);
        } catch (NoSuchElementException unknown) {
            throw new UnknownFinanceItemException("finance.error.noTenant", String.valueOf(tenantId));
        }
    }


    private static long ownTenant(PortalUser user) {
        if (user.tenantId() == null) {
            throw new ResponseStatusException(HttpStatus.FORBIDDEN, "Only a tenant's users have a statement.");
        }
        return user.tenantId();
    }

    private static String filename(YearMonth month, long tenantId, String extension) {
        return "chargeback-" + month + "-tenant-" + tenantId + "." + extension;
    }

    private static ResponseEntity<byte[]> csv(List<Statement> statements, String filename) {
        return download(StatementCsv.of(statements).getBytes(StandardCharsets.UTF_8), CSV, filename);
    }

    private static ResponseEntity<byte[]> pdf(byte[] pdf, String filename) {
        return download(pdf, MediaType.APPLICATION_PDF, filename);
    }

    private static ResponseEntity<byte[]> download(byte[] body, MediaType type, String filename) {
        return ResponseEntity.ok().contentType(type)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build().toString())
                .body(body);
    }
}
