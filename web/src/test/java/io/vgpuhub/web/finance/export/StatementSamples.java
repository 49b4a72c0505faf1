package io.vgpuhub.web.finance.export;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import io.vgpuhub.metering.chargeback.Adjustment;
import io.vgpuhub.metering.chargeback.CostCentreRef;
import io.vgpuhub.metering.chargeback.RightsizingHint;
import io.vgpuhub.metering.chargeback.SliceShowback;
import io.vgpuhub.metering.chargeback.Statement;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.StatementStatus;
import io.vgpuhub.metering.chargeback.TenantRef;
import io.vgpuhub.metering.licensing.Edition;

/** Statements built by hand, with figures worked out on paper, for the export tests. */
final class StatementSamples {

    static final YearMonth OCTOBER = YearMonth.of(2026, 10);
    static final CostCentreRef ROOT = new CostCentreRef(1, "CC-4711", "Acme, Research", null);
    static final CostCentreRef ML = new CostCentreRef(2, "ML", "Machine learning", "CC-4711");
    static final UUID WORKSTATION = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    static final UUID TRAINER = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    private StatementSamples() {
    }

    /**
     * Acme's October: a vWS workstation 36 h 30 min at 0.7500/h (27.38 after rounding 27.375 up) with 36.5 seat-hours
     * at 0.1500 (5.48 from 5.475), and a trainer 10 h at 2.4000 (24.00) holding a shared vCS seat for 5 h at 0.3000
     * (1.50); a credit of 3.50. Charges 58.36, total 54.86.
     */
    static Statement acme(StatementStatus status, BigDecimal scaleOf) {
        StatementLine workstation = new StatementLine(11, WORKSTATION, "cad-01", 5, "A40-8Q", ROOT, 7L,
                Instant.parse("2026-10-03T08:00:00Z"), Instant.parse("2026-10-04T20:30:00Z"), 131_400,
                new BigDecimal("0.7500"), scaled(new BigDecimal("27.38"), scaleOf), Edition.VWS,
                new BigDecimal("131400.000"), new BigDecimal("0.1500"), scaled(new BigDecimal("5.48"), scaleOf));
        StatementLine trainer = new StatementLine(12, TRAINER, "train-7", 9, "A40-24C", ML, 7L,
                Instant.parse("2026-10-10T00:00:00Z"), Instant.parse("2026-10-10T10:00:00Z"), 36_000,
                new BigDecimal("2.4000"), scaled(new BigDecimal("24.00"), scaleOf), Edition.VCS,
                new BigDecimal("18000.000"), new BigDecimal("0.3000"), scaled(new BigDecimal("1.50"), scaleOf));
        SliceShowback workstationUse = new SliceShowback(11, 2190, new BigDecimal("12.50"), 71, 3000, 8192,
                new RightsizingHint("A40-4Q", 4096, new BigDecimal("13.69")));
        SliceShowback trainerUse = new SliceShowback(12, 600, new BigDecimal("88.00"), 100, 23000, 24576, null);
        Adjustment credit = new Adjustment(1, OCTOBER, 3, ML, scaled(new BigDecimal("-3.50"), scaleOf),
                "=Outage credit, \"ticket\" 42", YearMonth.of(2026, 9), "fiona", Instant.parse("2026-10-20T09:00:00Z"));
        return new Statement(OCTOBER, new TenantRef(3, "Acme \"Labs\""), "EUR", status,
                Instant.parse("2026-11-01T00:00:00Z"), List.of(workstation, trainer), List.of(workstationUse, trainerUse),
                List.of(credit));
    }

    static Statement acme() {
        return acme(StatementStatus.CLOSED, null);
    }

    /** Beta's October: one unpriced slice (no card priced its offering). */
    static Statement beta() {
        CostCentreRef root = new CostCentreRef(9, "TENANT-4", "Beta", null);
        StatementLine unpriced = new StatementLine(21, UUID.fromString("00000000-0000-0000-0000-000000000021"), "render",
                6, "A100-3g.40gb", root, 7L, Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-01T02:00:00Z"),
                7_200, null, new BigDecimal("0.00"), null, new BigDecimal("0.000"), null, new BigDecimal("0.00"));
        return new Statement(OCTOBER, new TenantRef(4, "Beta"), "EUR", StatementStatus.CLOSED,
                Instant.parse("2026-11-01T00:00:00Z"), List.of(unpriced), List.of(), List.of());
    }

    /** Frozen rows come back at the column's scale (numeric(16,4)); live ones at the currency's. */
    private static BigDecimal scaled(BigDecimal amount, BigDecimal scaleOf) {
        return scaleOf == null ? amount : amount.setScale(scaleOf.scale());
    }
}
