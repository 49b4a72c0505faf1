package io.vgpuhub.metering.chargeback;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The rate cards in order of taking effect: each is in force from its day until the next card's.
 */
public final class RateSchedule {

    private final List<RateCard> cards;

    private RateSchedule(List<RateCard> cards) {
        this.cards = List.copyOf(cards);
    }

    /** The cards in order of their days; two cards of the same day are refused (the table forbids them too). */
    public static RateSchedule of(List<RateCard> cards) {
        List<RateCard> sorted = new ArrayList<>(cards);
        sorted.sort(Comparator.comparing(RateCard::effectiveFrom));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).effectiveFrom().equals(sorted.get(i - 1).effectiveFrom())) {
                throw new IllegalArgumentException("two rate cards take effect on " + sorted.get(i).effectiveFrom());
            }
        }
        return new RateSchedule(sorted);
    }

    /** The cards, earliest first. */
    public List<RateCard> cards() {
        return cards;
    }

    /** This schedule with the draft in force from its day (replacing a card of the same day), for previews. */
    public RateSchedule with(RateCardDraft draft) {
        List<RateCard> changed = new ArrayList<>(cards.stream()
                .filter(card -> !card.effectiveFrom().equals(draft.effectiveFrom())).toList());
        changed.add(new RateCard(null, draft.effectiveFrom(), draft.currency(), draft.name(), draft.notes(),
                draft.offeringPrices(), draft.seatPrices(), null, null));
        return of(changed);
    }

    /** The card in force on the day (from its 00:00 UTC), or null before the first card. */
    public RateCard inForceOn(LocalDate day) {
        RateCard found = null;
        for (RateCard card : cards) {
            if (card.effectiveFrom().isAfter(day)) {
                break;
            }
            found = card;
        }
        return found;
    }

    /** The card in force at the instant, or null before the first card. */
    public RateCard inForceAt(Instant instant) {
        return inForceOn(LocalDate.ofInstant(instant, ZoneOffset.UTC));
    }

    /**
     * The stretches of the month each priced by one card (or by none, before the first card), in order: they cover
     * the month without gaps, each running until the next one's start or the month's end.
     */
    public List<Stretch> stretches(YearMonth month) {
        List<Stretch> stretches = new ArrayList<>();
        stretches.add(new Stretch(BillingMonths.start(month), inForceOn(month.atDay(1))));
        for (RateCard card : cards) {
            if (YearMonth.from(card.effectiveFrom()).equals(month) && card.effectiveFrom().getDayOfMonth() > 1) {
                stretches.add(new Stretch(card.effectiveFrom().atStartOfDay().toInstant(ZoneOffset.UTC), card));
            }
        }
        return List.copyOf(stretches);
    }

    /**
     * The month's currency: that of the last card in force in it (a card that changes the currency takes effect on
     * the first of a month, so all cards of a month agree); null when no card is in force in the month.
     */
    public String currency(YearMonth month) {
        List<Stretch> stretches = stretches(month);
        for (int i = stretches.size() - 1; i >= 0; i--) {
            if (stretches.get(i).card() != null) {
                return stretches.get(i).card().currency();
            }
        }
        return null;
    }

    /**
     * A stretch of a month from {@code start} to the next stretch's start (or the month's end) priced by one card.
     *
     * @param card null where no card was in force
     */
    public record Stretch(Instant start, RateCard card) {
    }
}
