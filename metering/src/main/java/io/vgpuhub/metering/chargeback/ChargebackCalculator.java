package io.vgpuhub.metering.chargeback;

import java.time.Instant;
import java.time.YearMonth;

import org.springframework.stereotype.Service;

/** Computes a month's charges live. (Issue 6 foundation: the engine fills this in.) */
@Service
public class ChargebackCalculator {

    /**
     * The month's lines and showback from its start up to {@code asOf} (or its end, whichever is earlier), priced by
     * {@code schedule}, for one tenant or (tenantId null) for every tenant with charges.
     */
    public MonthCharges compute(YearMonth month, Instant asOf, RateSchedule schedule, Long tenantId) {
        throw new UnsupportedOperationException("issue 6: engine pending");
    }
}
