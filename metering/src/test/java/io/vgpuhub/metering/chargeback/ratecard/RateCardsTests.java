package io.vgpuhub.metering.chargeback.ratecard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.vgpuhub.metering.chargeback.RateCard;
import io.vgpuhub.metering.chargeback.RateCardDraft;
import io.vgpuhub.metering.licensing.Edition;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Rate cards as finance makes them: ahead of their day, every problem named and nothing written on refusal, one
 * currency per month, and deleted only before they take effect. Its own context and database: the cards here would
 * otherwise price other tests' months.
 */
@SpringBootTest(properties = "vgpuhub.test.database=rate-cards")
class RateCardsTests {

    @Autowired
    RateCards rateCards;

    @Autowired
    JdbcClient jdbc;

    LocalDate today;
    /** The first of the month after next: a day every test may build cards around. */
    LocalDate first;

    @BeforeEach
    void noCards() {
        jdbc.sql("delete from rate_card").update();
        today = LocalDate.now(ZoneOffset.UTC);
        first = today.plusMonths(2).withDayOfMonth(1);
    }

    @Test
    void aCardIsStoredWithEveryPriceAndReadBackAsEntered() {
        long fiona = jdbc.sql("insert into app_user (username, display_name, password_hash) values "
                + "('rc-fiona', 'Fiona', '{noop}not-a-real-password-hash') returning id").query(Long.class).single();
        RateCardDraft draft = draft(first, "EUR", "  2026 prices ", new BigDecimal("0.2500"));

        RateCard card = rateCards.create(new RateCardDraft(draft.effectiveFrom(), draft.currency(), draft.name(),
                "  negotiated with procurement ", draft.offeringPrices(), draft.seatPrices()), fiona);

        assertThat(card.id()).isNotNull();
        assertThat(card.effectiveFrom()).isEqualTo(first);
        assertThat(card.currency()).isEqualTo("EUR");
        assertThat(card.name()).isEqualTo("2026 prices");
        assertThat(card.notes()).isEqualTo("negotiated with procurement");
        assertThat(card.createdBy()).isEqualTo("rc-fiona");
        assertThat(card.offeringPrices()).hasSameSizeAs(draft.offeringPrices())
                .allSatisfy((offering, price) -> assertThat(price).isEqualByComparingTo("0.25"));
        assertThat(card.seatPrices()).containsOnlyKeys(Edition.values());
        assertThat(rateCards.card(card.id())).isEqualTo(card);
        assertThat(rateCards.cards()).containsExactly(card);
    }

    @Test
    void everyProblemOfADraftIsNamedAndNothingIsWritten() {
        List<PriceableOffering> enabled = rateCards.offerings().stream().filter(PriceableOffering::enabled).toList();
        assertThatThrownBy(() -> rateCards.create(new RateCardDraft(null, " ", " ", null, Map.of(), Map.of()), null))
                .isInstanceOfSatisfying(InvalidRateCardException.class, e -> {
                    assertThat(e.problems()).extracting(InvalidRateCardException.Problem::field)
                            .startsWith("effectiveFrom", "currency", "name")
                            .contains("offeringPrices[" + enabled.get(0).id() + "]", "seatPrices[VCS]");
                    assertThat(e.problems()).hasSize(3 + enabled.size() + Edition.values().length);
                });

        expect(() -> rateCards.create(draft(today, "EUR", "x", BigDecimal.ONE), null), "effectiveFrom", "notFuture");
        expect(() -> rateCards.create(draft(today.minusDays(30), "EUR", "x", BigDecimal.ONE), null), "effectiveFrom", "notFuture");
        expect(() -> rateCards.create(draft(LocalDate.of(3000, 1, 1), "EUR", "x", BigDecimal.ONE), null), "effectiveFrom", "outOfRange");
        expect(() -> rateCards.create(draft(first, "XYZ", "x", BigDecimal.ONE), null), "currency", "unknown");
        expect(() -> rateCards.create(draft(first, "eur", "x", BigDecimal.ONE), null), "currency", "unknown");
        expect(() -> rateCards.create(draft(first, "EUR", "n".repeat(101), BigDecimal.ONE), null), "name", "tooLong");
        expect(() -> rateCards.create(draft(first, "EUR", "bad\u0000name", BigDecimal.ONE), null), "name", "controlCharacters");

        long offering = enabled.get(0).id();
        String field = "offeringPrices[" + offering + "]";
        expect(() -> rateCards.create(withPrice(draft(first, "EUR", "x", BigDecimal.ONE), offering, "-0.01"), null), field, "negative");
        expect(() -> rateCards.create(withPrice(draft(first, "EUR", "x", BigDecimal.ONE), offering, "0.12345"), null), field, "tooPrecise");
        expect(() -> rateCards.create(withPrice(draft(first, "EUR", "x", BigDecimal.ONE), offering, "100000000"), null), field, "tooLarge");
        expect(() -> rateCards.create(withPrice(draft(first, "EUR", "x", BigDecimal.ONE), 999_999L, "1"), null),
                "offeringPrices[999999]", "unknownOffering");
        RateCardDraft noVcs = draft(first, "EUR", "x", BigDecimal.ONE);
        Map<Edition, BigDecimal> seats = new EnumMap<>(noVcs.seatPrices());
        seats.remove(Edition.VCS);
        expect(() -> rateCards.create(new RateCardDraft(first, "EUR", "x", null, noVcs.offeringPrices(), seats), null),
                "seatPrices[VCS]", "missing");

        assertThat(rows()).isZero();
        // Trailing zeros are not decimals: 0.25000 is a price of four decimals or fewer.
        assertThat(rateCards.create(withPrice(draft(first, "EUR", "x", BigDecimal.ONE), offering, "0.25000"), null)
                .offeringPrices().get(offering)).isEqualByComparingTo("0.25");
    }

    @Test
    void aWithdrawnOfferingMayGoUnpricedButNotAnOfferingOnSale() {
        PriceableOffering onSale = rateCards.offerings().get(0);
        RateCardDraft draft = draft(first, "EUR", "x", BigDecimal.ONE);
        Map<Long, BigDecimal> prices = new HashMap<>(draft.offeringPrices());
        prices.remove(onSale.id());
        expect(() -> rateCards.create(new RateCardDraft(first, "EUR", "x", null, prices, draft.seatPrices()), null),
                "offeringPrices[" + onSale.id() + "]", "missing");

        jdbc.sql("update offering set enabled = false where id = ?").param(onSale.id()).update();
        try {
            RateCard card = rateCards.create(new RateCardDraft(first, "EUR", "x", null, prices, draft.seatPrices()), null);
            assertThat(card.offeringPrices()).doesNotContainKey(onSale.id());
        }
        finally {
            jdbc.sql("update offering set enabled = true where id = ?").param(onSale.id()).update();
        }
    }

    @Test
    void twoCardsCannotTakeEffectOnTheSameDay() {
        rateCards.create(draft(first, "EUR", "First", BigDecimal.ONE), null);
        expect(() -> rateCards.create(draft(first, "EUR", "Second", BigDecimal.TEN), null), "effectiveFrom", "taken");
        assertThat(rateCards.cards()).extracting(RateCard::name).containsExactly("First");
    }

    @Test
    void aCurrencyChangesOnlyOnTheFirstOfAMonthSoEachMonthHasOneCurrency() {
        rateCards.create(draft(first, "EUR", "Euro", BigDecimal.ONE), null);

        assertThatThrownBy(() -> rateCards.create(draft(first.plusDays(14), "USD", "Dollar", BigDecimal.ONE), null))
                .isInstanceOfSatisfying(InvalidRateCardException.class, e -> assertThat(e.problems())
                        .extracting(InvalidRateCardException.Problem::field, InvalidRateCardException.Problem::code)
                        .containsExactly(tuple("currency", "changeNotOnFirst")))
                .hasMessageContaining("in EUR").hasMessageContaining(first.plusMonths(1).toString());
        rateCards.create(draft(first.plusDays(14), "EUR", "Euro, mid-month", BigDecimal.valueOf(2)), null);
        rateCards.create(draft(first.plusMonths(1), "USD", "Dollar", BigDecimal.ONE), null);

        // A card before a mid-month card must share its currency, or that month would have two.
        rateCards.create(draft(first.plusMonths(2).plusDays(9), "USD", "Dollar, mid-month", BigDecimal.valueOf(2)), null);
        expect(() -> rateCards.create(draft(first.plusMonths(2), "EUR", "Back to euro", BigDecimal.ONE), null),
                "currency", "nextChangesMidMonth");

        assertThat(rateCards.cards()).extracting(RateCard::currency).containsExactly("EUR", "EUR", "USD", "USD");
    }

    @Test
    void aCardIsDeletedWithItsPricesOnlyBeforeItTakesEffect() {
        long inForce = stored(today, "EUR", "In force");
        long past = stored(today.minusMonths(3), "EUR", "Past");
        RateCard future = rateCards.create(draft(first, "EUR", "Future", BigDecimal.ONE), null);
        long rowsBefore = rows();

        for (long id : List.of(inForce, past)) {
            assertThatThrownBy(() -> rateCards.delete(id))
                    .isInstanceOfSatisfying(RateCardDeleteRefusedException.class, e -> assertThat(e.code()).isEqualTo("inEffect"))
                    .hasMessageContaining("only a card that has not taken effect yet can be deleted");
        }
        assertThatThrownBy(() -> rateCards.delete(987_654L)).isInstanceOf(RateCardNotFoundException.class);
        assertThat(rows()).isEqualTo(rowsBefore);

        assertThat(rateCards.delete(future.id())).isEqualTo(future);
        assertThat(rateCards.cards()).extracting(RateCard::name).containsExactly("Past", "In force");
        assertThat(jdbc.sql("select count(*) from rate_card_offering where rate_card_id = ?").param(future.id())
                .query(Long.class).single()).isZero();
    }

    @Test
    void aCardWhoseRemovalWouldChangeTheCurrencyMidMonthStays() {
        stored(today, "EUR", "Euro now");
        RateCard dollar = rateCards.create(draft(first, "USD", "Dollar", BigDecimal.ONE), null);
        rateCards.create(draft(first.plusDays(14), "USD", "Dollar, mid-month", BigDecimal.valueOf(2)), null);
        long rowsBefore = rows();

        assertThatThrownBy(() -> rateCards.delete(dollar.id()))
                .isInstanceOfSatisfying(RateCardDeleteRefusedException.class, e -> assertThat(e.code()).isEqualTo("currencyGap"));
        assertThat(rows()).isEqualTo(rowsBefore);
    }

    @Test
    void theNewCardFormStartsFromListPricesThenFromTheCardInForce() {
        RateCardDraft first = rateCards.prefill("USD");
        assertThat(first.effectiveFrom()).isEqualTo(today.plusMonths(1).withDayOfMonth(1));
        assertThat(first.currency()).isEqualTo("USD");
        List<PriceableOffering> enabled = rateCards.offerings().stream().filter(PriceableOffering::enabled).toList();
        assertThat(first.offeringPrices()).hasSize(enabled.size());
        enabled.forEach(o -> assertThat(first.offeringPrices().get(o.id())).isEqualByComparingTo(o.listPricePerHour()));
        assertThat(first.seatPrices()).containsOnlyKeys(Edition.values())
                .allSatisfy((edition, price) -> assertThat(price).isZero());

        long card = stored(today.minusDays(1), "EUR", "In force");
        jdbc.sql("update rate_card_offering set price_per_hour = 9.5 where rate_card_id = ?").param(card).update();
        jdbc.sql("update rate_card_edition set price_per_seat_hour = 0.07 where rate_card_id = ?").param(card).update();
        RateCardDraft next = rateCards.prefill("USD");
        assertThat(next.currency()).isEqualTo("EUR");
        assertThat(next.offeringPrices().values()).allSatisfy(price -> assertThat(price).isEqualByComparingTo("9.5"));
        assertThat(next.seatPrices().values()).allSatisfy(price -> assertThat(price).isEqualByComparingTo("0.07"));
    }

    /** A full draft: every offering on sale and every edition at {@code price}. */
    private RateCardDraft draft(LocalDate from, String currency, String name, BigDecimal price) {
        Map<Long, BigDecimal> offerings = new HashMap<>();
        rateCards.offerings().stream().filter(PriceableOffering::enabled).forEach(o -> offerings.put(o.id(), price));
        Map<Edition, BigDecimal> seats = new EnumMap<>(Edition.class);
        for (Edition edition : Edition.values()) {
            seats.put(edition, price.divide(BigDecimal.TEN));
        }
        return new RateCardDraft(from, currency, name, null, offerings, seats);
    }

    private static RateCardDraft withPrice(RateCardDraft draft, long offering, String price) {
        Map<Long, BigDecimal> prices = new HashMap<>(draft.offeringPrices());
        prices.put(offering, new BigDecimal(price));
        return new RateCardDraft(draft.effectiveFrom(), draft.currency(), draft.name(), draft.notes(), prices,
                draft.seatPrices());
    }

    /** A card written straight to the table, as one made earlier would be (the service refuses days not to come). */
    private long stored(LocalDate from, String currency, String name) {
        long id = jdbc.sql("insert into rate_card (effective_from, currency, name) values (?, ?, ?) returning id")
                .params(from, currency, name).query(Long.class).single();
        jdbc.sql("insert into rate_card_offering (rate_card_id, offering_id, price_per_hour) "
                + "select ?, id, 1 from offering where enabled").param(id).update();
        jdbc.sql("insert into rate_card_edition (rate_card_id, edition, price_per_seat_hour) "
                + "select ?, code, 0.1 from license_edition").param(id).update();
        return id;
    }

    private long rows() {
        return jdbc.sql("select (select count(*) from rate_card) + (select count(*) from rate_card_offering) "
                + "+ (select count(*) from rate_card_edition)").query(Long.class).single();
    }

    private void expect(ThrowingCallable call, String field, String code) {
        long before = rows();
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidRateCardException.class, e -> assertThat(e.problems())
                .extracting(InvalidRateCardException.Problem::field, InvalidRateCardException.Problem::code)
                .containsExactly(tuple(field, code)));
        assertThat(rows()).isEqualTo(before);
    }
}
