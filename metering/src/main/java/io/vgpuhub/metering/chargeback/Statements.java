package io.vgpuhub.metering.chargeback;

import java.time.YearMonth;
import java.util.List;

import org.springframework.stereotype.Service;

/**
 * Statements as finance and tenants read them: frozen rows for a closed month, computed live otherwise, with the
 * month's adjustments. (Issue 6 foundation: the engine fills this in.)
 */
@Service
public class Statements {

    /** One tenant's statement; an empty one when the tenant had nothing in the month. */
    public Statement statement(YearMonth month, long tenantId) {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }

    /** Every tenant with charges or adjustments in the month, by tenant name. */
    public List<Statement> statements(YearMonth month) {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }

    public MonthSummary summary(YearMonth month) {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }

    /** From the first month with charges up to the running month, newest first. */
    public List<MonthOverview> months() {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }
}
