package io.vgpuhub.metering.chargeback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.chargeback.RateSchedule.Stretch;
import org.junit.jupiter.api.Test;

class RateScheduleTests {

    static RateCard card(long id, String day, String currency) {
        return new RateCard(id, LocalDate.parse(day), currency, "Card " + id, null, Map.of(1L, BigDecimal.ONE), Map.of(),
                "fiona", Instant.EPOCH);
    }

    @Test
    void ordersCardsByTheirDayAndRefusesTwoOnOneDay() {
        RateSchedule schedule = RateSchedule.of(List.of(card(2, "2025-03-01", "EUR"), card(1, "2025-01-01", "EUR")));

        assertThat(schedule.cards()).extracting(RateCard::id).containsExactly(1L, 2L);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> RateSchedule.of(List.of(card(1, "2025-01-01", "EUR"), card(2, "2025-01-01", "EUR"))));
    }

    @Test
    void aMonthIsCutWhereACardTakesEffectInsideIt() {
        RateCard january = card(1, "2025-01-01", "EUR");
        RateCard mid = card(2, "2025-02-15", "EUR");
        RateSchedule schedule = RateSchedule.of(List.of(january, mid));

        assertThat(schedule.stretches(YearMonth.of(2025, 2))).containsExactly(
                new Stretch(Instant.parse("2025-02-01T00:00:00Z"), january),
                new Stretch(Instant.parse("2025-02-15T00:00:00Z"), mid));
        assertThat(schedule.stretches(YearMonth.of(2024, 12)))
                .containsExactly(new Stretch(Instant.parse("2024-12-01T00:00:00Z"), null));
        assertThat(schedule.currency(YearMonth.of(2024, 12))).isNull();
        assertThat(schedule.inForceAt(Instant.parse("2025-02-14T23:59:59Z"))).isEqualTo(january);
        assertThat(schedule.inForceAt(Instant.parse("2025-02-15T00:00:00Z"))).isEqualTo(mid);
    }

    @Test
    void aDraftReplacesTheCardOfItsDayOrTakesItsPlaceBetweenTheOthers() {
        RateSchedule schedule = RateSchedule.of(List.of(card(1, "2025-01-01", "EUR"), card(2, "2025-06-01", "EUR")));

        RateSchedule replaced = schedule.with(new RateCardDraft(LocalDate.parse("2025-06-01"), "USD", "Draft", null,
                Map.of(), Map.of()));
        RateSchedule inserted = schedule.with(new RateCardDraft(LocalDate.parse("2025-03-01"), "EUR", "Draft", null,
                Map.of(), Map.of()));

        assertThat(replaced.cards()).extracting(RateCard::id, RateCard::currency)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "EUR"),
                        org.assertj.core.groups.Tuple.tuple(null, "USD"));
        assertThat(inserted.cards()).extracting(RateCard::effectiveFrom).extracting(LocalDate::toString)
                .containsExactly("2025-01-01", "2025-03-01", "2025-06-01");
        assertThat(schedule.cards()).hasSize(2);
    }
}
