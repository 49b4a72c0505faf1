package io.vgpuhub.web.finance.close;

import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.close.Adjustments;
import io.vgpuhub.metering.chargeback.close.ClosedMonth;
import io.vgpuhub.metering.chargeback.close.MonthClose;
import io.vgpuhub.web.audit.AuditEvents;
import io.vgpuhub.web.security.PortalUser;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finance's month closes and adjustments, each with its audit_event row in the same transaction: both land or
 * neither (a refused close or booking writes no audit row either).
 */
@Service
class FinanceCloseAdmin {

    private final MonthClose close;
    private final Adjustments adjustments;
    private final AuditEvents audit;

    FinanceCloseAdmin(MonthClose close, Adjustments adjustments, AuditEvents audit) {
        this.close = close;
        this.adjustments = adjustments;
        this.audit = audit;
    }

    @Transactional
    ClosedMonth close(PortalUser user, YearMonth month) {
        ClosedMonth closed = close.close(month, user.userId());
        audit.record(user.getUsername(), null, "month.close", month.toString(), "%d tenants, %d lines, charges %s %s"
                .formatted(closed.tenants(), closed.lines(), closed.charges(), closed.currency() == null ? "" : closed.currency())
                .strip());
        return closed;
    }

    @Transactional
    Adjustment book(PortalUser user, YearMonth month, AdjustmentForm form) {
        Adjustment booked = adjustments.book(form.getTenantId(), month, form.getCostCentreId(), form.getAmount(),
                form.getReason(), form.correctsMonth(), user.userId());
        audit.record(user.getUsername(), booked.tenantId(), "adjustment.book", month + " " + booked.costCentre().path(),
                booked.amount() + (booked.correctsMonth() == null ? "" : " (corrects " + booked.correctsMonth() + ")")
                        + ": " + booked.reason());
        return booked;
    }
}
