package io.vgpuhub.metering.chargeback.ratecard;

import java.math.BigDecimal;
import java.sql.Types;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vgpuhub.metering.chargeback.RateCard;
import io.vgpuhub.metering.chargeback.RateCardDraft;
import io.vgpuhub.metering.chargeback.RateSchedules;
import io.vgpuhub.metering.licensing.Edition;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Finance's rate cards: made ahead of the day they take effect (00:00 UTC), checked as a whole first (a draft with any
 * problem is refused with all of them and nothing is written), and deleted only before they take effect, so a card
 * never reprices time already billed. Stored cards are read through {@link RateSchedules}.
 */
@Service
public class RateCards {

    public static final int MAX_NAME = 100;
    public static final int MAX_NOTES = 2000;
    /** rate_card_offering.price_per_hour and rate_card_edition.price_per_seat_hour are numeric(12, 4). */
    public static final int PRICE_SCALE = 4;
    public static final BigDecimal MAX_PRICE = new BigDecimal("99999999.9999");
    public static final int LAST_YEAR = 2999;

    private final JdbcClient jdbc;
    private final RateSchedules schedules;
    private final Clock clock;

    RateCards(JdbcClient jdbc, RateSchedules schedules, Clock clock) {
        this.jdbc = jdbc;
        this.schedules = schedules;
        this.clock = clock;
    }

    /** Today in UTC: a card of this day or earlier has taken effect. */
    public LocalDate today() {
        return LocalDate.now(clock.withZone(ZoneOffset.UTC));
    }

    /** Every stored card, earliest first. */
    @Transactional(readOnly = true)
    public List<RateCard> cards() {
        return schedules.current().cards();
    }

    @Transactional(readOnly = true)
    public RateCard card(long id) {
        return cards().stream().filter(c -> c.id() == id).findFirst().orElseThrow(() -> new RateCardNotFoundException(id));
    }

    /** The card in force on {@code day} (the last that took effect on or before it), if any. */
    @Transactional(readOnly = true)
    public Optional<RateCard> inForce(LocalDate day) {
        return cards().stream().filter(c -> !c.effectiveFrom().isAfter(day)).max(Comparator.comparing(RateCard::effectiveFrom));
    }

    /** The card a card of {@code day} takes over from: the last that takes effect before that day, if any. */
    @Transactional(readOnly = true)
    public Optional<RateCard> before(LocalDate day) {
        return RateCardRules.before(cards(), day);
    }

    /** Every offering a card may price, enabled ones first, then by GPU model, kind and code. */
    @Transactional(readOnly = true)
    public List<PriceableOffering> offerings() {
        return jdbc.sql("""
                select id, code, kind, gpu_model, enabled, price_per_hour from offering
                order by enabled desc, gpu_model, kind, framebuffer_mib, code""")
                .query((rs, n) -> new PriceableOffering(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getBigDecimal(6)))
                .list();
    }

    /**
     * What the new-card form starts from: the first of next month, the prices of the card in force today (an offering
     * it does not price at its list price), or, before the first card, the offerings' list prices and free seats.
     *
     * @param fallbackCurrency the currency when no card is in force yet (the catalog's list price currency)
     */
    @Transactional(readOnly = true)
    public RateCardDraft prefill(String fallbackCurrency) {
        LocalDate today = today();
        Optional<RateCard> base = inForce(today);
        Map<Long, BigDecimal> offeringPrices = new LinkedHashMap<>();
        for (PriceableOffering offering : offerings()) {
            BigDecimal carried = base.map(card -> card.offeringPrices().get(offering.id())).orElse(null);
            if (carried != null || offering.enabled()) {
                offeringPrices.put(offering.id(), carried != null ? carried : offering.listPricePerHour());
            }
        }
        Map<Edition, BigDecimal> seatPrices = new EnumMap<>(Edition.class);
        for (Edition edition : Edition.values()) {
            seatPrices.put(edition, base.map(card -> card.seatPrices().get(edition)).orElse(BigDecimal.ZERO));
        }
        return new RateCardDraft(today.plusMonths(1).withDayOfMonth(1),
                base.map(RateCard::currency).orElse(fallbackCurrency), "", null, offeringPrices, seatPrices);
    }

    /**
     * Checks a draft as {@link #create} would, writing nothing (for a form that found problems of its own first).
     *
     * @throws InvalidRateCardException with every problem of the draft
     */
    @Transactional(readOnly = true)
    public void check(RateCardDraft draft) {
        RateCardRules.check(draft, today(), cards(), offerings());
    }

    /**
     * Stores a card that takes effect after today.
     *
     * @param createdBy the app_user id of who made it
     * @throws InvalidRateCardException with every problem of the draft; nothing is written then
     */
    @Transactional
    public RateCard create(RateCardDraft draft, Long createdBy) {
        lockCards();
        List<RateCard> cards = cards();
        RateCardRules.check(draft, today(), cards, offerings());
        long id;
        try {
            id = jdbc.sql("""
                    insert into rate_card (effective_from, currency, name, notes, created_by)
                    values (:from, :currency, :name, :notes, :by) returning id""")
                    .param("from", draft.effectiveFrom()).param("currency", draft.currency())
                    .param("name", draft.name().strip())
                    .param("notes", draft.notes() == null || draft.notes().isBlank() ? null : draft.notes().strip(), Types.VARCHAR)
                    .param("by", createdBy, Types.BIGINT)
                    .query(Long.class).single();
        }
        catch (DuplicateKeyException raced) {
            // Only reachable by writing rate_card around this service: its own writers queue on the lock above.
            throw new InvalidRateCardException(List.of(new InvalidRateCardException.Problem("effectiveFrom", "taken",
                    "Another card already takes effect on " + draft.effectiveFrom() + ".", List.of("", draft.effectiveFrom()))));
        }
        draft.offeringPrices().forEach((offering, price) -> jdbc.sql(
                "insert into rate_card_offering (rate_card_id, offering_id, price_per_hour) values (?, ?, ?)")
                .params(id, offering, price).update());
        draft.seatPrices().forEach((edition, price) -> jdbc.sql(
                "insert into rate_card_edition (rate_card_id, edition, price_per_seat_hour) values (?, ?, ?)")
                .params(id, edition.name(), price).update());
        return card(id);
    }

    /**
     * Deletes a card that has not taken effect yet, with its prices.
     *
     * @return the card as it was
     * @throws RateCardNotFoundException when there is no such card
     * @throws RateCardDeleteRefusedException when it has taken effect, or when removing it would leave the next card
     *                                        changing the currency in the middle of a month; nothing is changed then
     */
    @Transactional
    public RateCard delete(long id) {
        lockCards();
        List<RateCard> cards = cards();
        RateCard card = cards.stream().filter(c -> c.id() == id).findFirst()
                .orElseThrow(() -> new RateCardNotFoundException(id));
        LocalDate today = today();
        if (!card.effectiveFrom().isAfter(today)) {
            throw new RateCardDeleteRefusedException(id, "inEffect", "The card \u201c" + card.name() + "\u201d took effect on "
                    + card.effectiveFrom() + " and prices time since; only a card that has not taken effect yet can be "
                    + "deleted.", List.of(card.name(), card.effectiveFrom()));
        }
        Optional<RateCard> previous = RateCardRules.before(cards, card.effectiveFrom());
        Optional<RateCard> next = RateCardRules.after(cards, card.effectiveFrom());
        if (previous.isPresent() && next.isPresent() && !previous.get().currency().equals(next.get().currency())
                && next.get().effectiveFrom().getDayOfMonth() != 1) {
            throw new RateCardDeleteRefusedException(id, "currencyGap", "Without the card \u201c" + card.name()
                    + "\u201d, the card \u201c" + next.get().name() + "\u201d (" + next.get().currency() + ", from "
                    + next.get().effectiveFrom() + ") would follow one in " + previous.get().currency()
                    + " in the middle of a month; delete or change that card first.",
                    List.of(card.name(), next.get().name(), next.get().currency(), next.get().effectiveFrom(),
                            previous.get().currency()));
        }
        jdbc.sql("delete from rate_card where id = ?").param(id).update();
        return card;
    }

    /** Cards are made and deleted one at a time, so the checks against the other cards hold when the change lands. */
    private void lockCards() {
        jdbc.sql("select pg_advisory_xact_lock(hashtext('rate_card'))").query().listOfRows();
    }
}
