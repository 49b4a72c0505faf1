package io.vgpuhub.metering.chargeback;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.vgpuhub.metering.licensing.Edition;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * The rounding rule on any quantities and prices: each line amount is Money.amount of its quantity at its rate, within
 * half a minor unit of the exact value, and a statement's subtotals and total are exactly the sums of its line amounts.
 */
class RoundingPropertyTests {

    private static final CostCentreRef ROOT = new CostCentreRef(1, "TENANT-1", "Acme", null);
    private static final CostCentreRef LAB = new CostCentreRef(2, "LAB", "Lab", "TENANT-1");

    @Property(tries = 300)
    void lineAmountsFollowMoneyAndTotalsAreTheSumsOfLines(@ForAll("currencies") String currency,
            @ForAll @Size(min = 1, max = 40) List<@net.jqwik.api.From("quantities") Quantity> quantities) {
        List<StatementLine> lines = new ArrayList<>();
        for (int i = 0; i < quantities.size(); i++) {
            Quantity q = quantities.get(i);
            RateCard card = new RateCard(7L, LocalDate.parse("2025-01-01"), currency, "Card", null,
                    Map.of(q.offering(), q.rate()), Map.of(Edition.VCS, q.seatRate()), "fiona", Instant.EPOCH);
            ChargeQuery.Row row = new ChargeQuery.Row(i, 1, Edition.VCS, q.seconds(), q.seatSeconds(),
                    Instant.parse("2025-01-01T00:00:00Z"), Instant.parse("2025-01-02T00:00:00Z"), UUID.randomUUID(),
                    "vm-" + i, q.offering(), "OFF-" + q.offering(), new TenantRef(1, "Acme"), i % 2 == 0 ? ROOT : LAB,
                    0, 0, null, null);
            StatementLine line = ChargebackCalculator.line(row, card, currency);
            BigDecimal seconds = BigDecimal.valueOf(q.seconds());
            assertThat(line.allocationAmount()).isEqualTo(Money.amount(seconds, q.rate(), currency));
            assertThat(line.seatAmount()).isEqualTo(Money.amount(q.seatSeconds(), q.seatRate(), currency));
            assertThat(line.allocationAmount().scale()).isEqualTo(Money.minorUnit(currency));
            BigDecimal exact = seconds.multiply(q.rate()).divide(Money.SECONDS_PER_HOUR, 20, java.math.RoundingMode.HALF_UP);
            BigDecimal halfUnit = BigDecimal.ONE.movePointLeft(Money.minorUnit(currency)).divide(BigDecimal.valueOf(2));
            assertThat(line.allocationAmount().subtract(exact).abs()).isLessThanOrEqualTo(halfUnit);
            lines.add(line);
        }
        Statement statement = new Statement(YearMonth.of(2025, 1), new TenantRef(1, "Acme"), currency,
                StatementStatus.OPEN, Instant.parse("2025-02-01T00:00:00Z"), lines, List.of(), List.of());

        BigDecimal sum = lines.stream().map(line -> line.allocationAmount().add(line.seatAmount()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(statement.total()).isEqualTo(sum);
        assertThat(statement.byOffering().stream().map(Subtotal::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualTo(sum);
        assertThat(statement.byCostCentre().stream().map(Subtotal::amount).reduce(BigDecimal.ZERO, BigDecimal::add))
                .isEqualTo(sum);
    }

    @Provide
    Arbitrary<String> currencies() {
        return Arbitraries.of("EUR", "USD", "JPY", "BHD");
    }

    @Provide
    Arbitrary<Quantity> quantities() {
        Arbitrary<BigDecimal> price = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("99999999.9999"))
                .ofScale(4);
        return Combinators.combine(Arbitraries.longs().between(1, 5), Arbitraries.longs().between(0, 31L * 24 * 3600),
                price, Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("2678400")).ofScale(3), price)
                .as(Quantity::new);
    }

    record Quantity(long offering, long seconds, BigDecimal rate, BigDecimal seatSeconds, BigDecimal seatRate) {
    }
}
