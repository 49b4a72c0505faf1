package io.vgpuhub.metering.chargeback.ratecard;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.vgpuhub.metering.chargeback.Money;
import io.vgpuhub.metering.chargeback.RateCard;
import io.vgpuhub.metering.chargeback.RateCardDraft;
import io.vgpuhub.metering.licensing.Edition;

/**
 * The checks a new rate card passes before it is stored, all of them at once so the form can show every problem.
 * A card takes effect after today so it never reprices billed time; a month has one currency, so a card that changes
 * it starts on the 1st (and so does the card after it, if that one changes it back).
 */
final class RateCardRules {

    private final LocalDate today;
    private final List<RateCard> cards;
    private final List<PriceableOffering> offerings;
    private final List<InvalidRateCardException.Problem> problems = new ArrayList<>();

    private RateCardRules(LocalDate today, List<RateCard> cards, List<PriceableOffering> offerings) {
        this.today = today;
        this.cards = cards;
        this.offerings = offerings;
    }

    /** @throws InvalidRateCardException with every problem of the draft */
    static void check(RateCardDraft draft, LocalDate today, List<RateCard> cards, List<PriceableOffering> offerings) {
        RateCardRules rules = new RateCardRules(today, cards, offerings);
        rules.effectiveFrom(draft.effectiveFrom());
        rules.currency(draft);
        rules.name(draft.name());
        rules.notes(draft.notes());
        rules.offeringPrices(draft.offeringPrices());
        rules.seatPrices(draft.seatPrices());
        if (!rules.problems.isEmpty()) {
            throw new InvalidRateCardException(rules.problems);
        }
    }

    /** The card a new one of {@code day} follows: the last that takes effect before it. */
    static Optional<RateCard> before(List<RateCard> cards, LocalDate day) {
        return cards.stream().filter(c -> c.effectiveFrom().isBefore(day)).max(Comparator.comparing(RateCard::effectiveFrom));
    }

    /** The card that ends the stretch of a new one of {@code day}: the first that takes effect after it. */
    static Optional<RateCard> after(List<RateCard> cards, LocalDate day) {
        return cards.stream().filter(c -> c.effectiveFrom().isAfter(day)).min(Comparator.comparing(RateCard::effectiveFrom));
    }

    private void effectiveFrom(LocalDate day) {
        if (day == null) {
            add("effectiveFrom", "required", "Enter the day the card takes effect.");
        }
        else if (day.getYear() > RateCards.LAST_YEAR) {
            add("effectiveFrom", "outOfRange", "Use a day before the year " + (RateCards.LAST_YEAR + 1) + ".");
        }
        else if (!day.isAfter(today)) {
            add("effectiveFrom", "notFuture", "A new card takes effect after today (" + today + ", UTC), so it never "
                    + "reprices time already billed; choose " + today.plusDays(1) + " or later.", today, today.plusDays(1));
        }
        else {
            cards.stream().filter(c -> c.effectiveFrom().equals(day)).findFirst().ifPresent(c -> add("effectiveFrom",
                    "taken", "The card \u201c" + c.name() + "\u201d already takes effect on " + day
                            + "; choose another day, or delete that card first.", c.name(), day));
        }
    }

    private void currency(RateCardDraft draft) {
        String currency = draft.currency();
        if (currency == null || currency.isBlank()) {
            add("currency", "required", "Enter the currency as an ISO 4217 code, such as EUR or USD.");
            return;
        }
        if (!Money.isCurrency(currency)) {
            add("currency", "unknown", "\u201c" + currency + "\u201d is not an ISO 4217 currency code; use one such as EUR "
                    + "or USD.", currency);
            return;
        }
        LocalDate day = draft.effectiveFrom();
        if (day == null || !day.isAfter(today)) {
            return;
        }
        before(cards, day).filter(previous -> !previous.currency().equals(currency) && day.getDayOfMonth() != 1)
                .ifPresent(previous -> add("currency", "changeNotOnFirst", "The card in force before it is in "
                        + previous.currency() + "; a card that changes the currency to " + currency
                        + " must take effect on the 1st of a month (so each month has one currency), such as "
                        + day.plusMonths(1).withDayOfMonth(1) + ".", previous.currency(), currency,
                        day.plusMonths(1).withDayOfMonth(1)));
        after(cards, day).filter(next -> !next.currency().equals(currency) && next.effectiveFrom().getDayOfMonth() != 1)
                .ifPresent(next -> add("currency", "nextChangesMidMonth", "The next card, \u201c" + next.name()
                        + "\u201d from " + next.effectiveFrom() + ", is in " + next.currency() + " and does not start on "
                        + "the 1st; a card before it must be in " + next.currency() + " too.", next.name(),
                        next.effectiveFrom(), next.currency()));
    }

    private void name(String name) {
        String stripped = name == null ? "" : name.strip();
        if (stripped.isEmpty()) {
            add("name", "required", "Give the card a name, such as \u201c2026 prices\u201d.");
        }
        else if (stripped.length() > RateCards.MAX_NAME) {
            add("name", "tooLong", "The name may have at most " + RateCards.MAX_NAME + " characters.", RateCards.MAX_NAME);
        }
        else if (stripped.chars().anyMatch(Character::isISOControl)) {
            add("name", "controlCharacters", "The name may hold only printable characters.");
        }
    }

    private void notes(String notes) {
        if (notes == null) {
            return;
        }
        if (notes.strip().length() > RateCards.MAX_NOTES) {
            add("notes", "tooLong", "Notes may have at most " + RateCards.MAX_NOTES + " characters.", RateCards.MAX_NOTES);
        }
        else if (notes.chars().anyMatch(c -> Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t')) {
            add("notes", "controlCharacters", "Notes may hold only printable characters and line breaks.");
        }
    }

    private void offeringPrices(Map<Long, BigDecimal> prices) {
        for (PriceableOffering offering : offerings) {
            String field = "offeringPrices[" + offering.id() + "]";
            BigDecimal price = prices.get(offering.id());
            if (price == null) {
                if (offering.enabled()) {
                    add(field, "missing", "Enter a price per hour for " + offering.code() + ".", offering.code());
                }
            }
            else {
                price(field, offering.code(), price);
            }
        }
        prices.keySet().stream().filter(id -> offerings.stream().noneMatch(o -> o.id() == id)).sorted()
                .forEach(id -> add("offeringPrices[" + id + "]", "unknownOffering", "There is no offering with id " + id
                        + " to price.", id));
    }

    private void seatPrices(Map<Edition, BigDecimal> prices) {
        for (Edition edition : Edition.values()) {
            String field = "seatPrices[" + edition.name() + "]";
            BigDecimal price = prices.get(edition);
            if (price == null) {
                add(field, "missing", "Enter a price per seat-hour for " + edition.name() + " (0 if seats are not "
                        + "charged).", edition.name());
            }
            else {
                price(field, edition.name(), price);
            }
        }
    }

    private void price(String field, String item, BigDecimal price) {
        if (price.signum() < 0) {
            add(field, "negative", "The price for " + item + " may not be negative.", item);
        }
        else if (price.stripTrailingZeros().scale() > RateCards.PRICE_SCALE) {
            add(field, "tooPrecise", "The price for " + item + " may have at most " + RateCards.PRICE_SCALE
                    + " decimals.", item, RateCards.PRICE_SCALE);
        }
        else if (price.compareTo(RateCards.MAX_PRICE) > 0) {
            add(field, "tooLarge", "The price for " + item + " may be at most " + RateCards.MAX_PRICE.toPlainString()
                    + ".", item, RateCards.MAX_PRICE.toPlainString());
        }
    }

    private void add(String field, String code, String message, Object... args) {
        problems.add(new InvalidRateCardException.Problem(field, code, message, List.of(args)));
    }
}
