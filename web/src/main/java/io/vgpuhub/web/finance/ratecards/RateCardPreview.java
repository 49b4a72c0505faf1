package io.vgpuhub.web.finance.ratecards;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vgpuhub.metering.chargeback.BillingMonths;
import io.vgpuhub.metering.chargeback.ChargebackCalculator;
import io.vgpuhub.metering.chargeback.MonthCharges;
import io.vgpuhub.metering.chargeback.RateCard;
import io.vgpuhub.metering.chargeback.RateCardDraft;
import io.vgpuhub.metering.chargeback.RateSchedule;
import io.vgpuhub.metering.chargeback.RateSchedules;
import io.vgpuhub.metering.chargeback.StatementLine;
import io.vgpuhub.metering.chargeback.TenantCharges;
import io.vgpuhub.metering.chargeback.TenantRef;
import io.vgpuhub.metering.chargeback.ratecard.PriceableOffering;
import io.vgpuhub.metering.chargeback.ratecard.RateCards;
import io.vgpuhub.metering.licensing.Edition;

import org.springframework.stereotype.Component;

/**
 * What a future card would change: its prices beside those of the card it takes over from, and the last ended month's
 * charges per tenant as computed now beside the same month recomputed as if the card had been in force from its first
 * day (a what-if: nothing is stored, and the month itself is never repriced).
 */
@Component
class RateCardPreview {

    /** The preview's figures; {@code currencyNow}/{@code currencyWithCard} null where nothing was priced. */
    record Result(Optional<RateCard> replaces, List<PriceChange> offerings, List<PriceChange> editions, YearMonth month,
            String currencyNow, String currencyWithCard, List<TenantWhatIf> tenants) {

        public BigDecimal totalNow() {
            return tenants.stream().map(TenantWhatIf::now).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public BigDecimal totalWithCard() {
            return tenants.stream().map(TenantWhatIf::withCard).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    private final RateCards rateCards;
    private final RateSchedules schedules;
    private final ChargebackCalculator calculator;

    RateCardPreview(RateCards rateCards, RateSchedules schedules, ChargebackCalculator calculator) {
        this.rateCards = rateCards;
        this.schedules = schedules;
        this.calculator = calculator;
    }

    Result of(RateCard card) {
        Optional<RateCard> replaces = rateCards.before(card.effectiveFrom());
        YearMonth month = YearMonth.from(rateCards.today().atStartOfDay(ZoneOffset.UTC)).minusMonths(1);
        RateSchedule current = schedules.current();
        // The card as if it had taken effect on the month's first day; later cards of that month still follow it.
        RateCardDraft asOfMonth = new RateCardDraft(BillingMonths.firstDay(month), card.currency(), card.name(),
                card.notes(), card.offeringPrices(), card.seatPrices());
        MonthCharges now = calculator.compute(month, BillingMonths.end(month), current, null);
        MonthCharges withCard = calculator.compute(month, BillingMonths.end(month), current.with(asOfMonth), null);
        return new Result(replaces, offeringChanges(card, replaces), editionChanges(card, replaces), month,
                now.currency(), withCard.currency(), tenants(now, withCard));
    }

    private List<PriceChange> offeringChanges(RateCard card, Optional<RateCard> replaces) {
        List<PriceChange> changes = new ArrayList<>();
        for (PriceableOffering offering : rateCards.offerings()) {
            BigDecimal before = replaces.map(r -> r.offeringPrices().get(offering.id())).orElse(null);
            BigDecimal after = card.offeringPrices().get(offering.id());
            if (before != null || after != null) {
                changes.add(new PriceChange(offering.code(), offering.gpuModel() + " \u00b7 " + offering.kind(), before, after));
            }
        }
        return changes;
    }

    private static List<PriceChange> editionChanges(RateCard card, Optional<RateCard> replaces) {
        List<PriceChange> changes = new ArrayList<>();
        for (Edition edition : Edition.values()) {
            BigDecimal before = replaces.map(r -> r.seatPrices().get(edition)).orElse(null);
            BigDecimal after = card.seatPrices().get(edition);
            if (before != null || after != null) {
                changes.add(new PriceChange(edition.name(), "", before, after));
            }
        }
        return changes;
    }

    private static List<TenantWhatIf> tenants(MonthCharges now, MonthCharges withCard) {
        Map<Long, TenantRef> names = new LinkedHashMap<>();
        Map<Long, BigDecimal> nowTotals = totals(now, names);
        Map<Long, BigDecimal> cardTotals = totals(withCard, names);
        return names.values().stream().sorted(Comparator.comparing(TenantRef::name))
                .map(t -> new TenantWhatIf(t, nowTotals.getOrDefault(t.id(), BigDecimal.ZERO),
                        cardTotals.getOrDefault(t.id(), BigDecimal.ZERO)))
                .toList();
    }

    private static Map<Long, BigDecimal> totals(MonthCharges charges, Map<Long, TenantRef> names) {
        Map<Long, BigDecimal> totals = new LinkedHashMap<>();
        for (TenantCharges tenant : charges.tenants()) {
            names.putIfAbsent(tenant.tenant().id(), tenant.tenant());
            totals.put(tenant.tenant().id(), tenant.lines().stream().map(StatementLine::amount)
                    .reduce(BigDecimal.ZERO, BigDecimal::add));
        }
        return totals;
    }
}
