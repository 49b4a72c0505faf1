package io.vgpuhub.web.finance.ratecards;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

import io.vgpuhub.metering.chargeback.RateCardDraft;
import io.vgpuhub.metering.licensing.Edition;

import org.springframework.format.annotation.DateTimeFormat;

/**
 * A new rate card as the form carries it. Prices stay text until the controller reads them, so "1,5" or "abc" is
 * answered beside its field; every rule (the day, the currency, the prices) is RateCards' own and comes back per field.
 */
public class RateCardForm {

    @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
    private LocalDate effectiveFrom;

    private String currency;

    private String name;

    private String notes;

    /** Price per allocated hour by offering id. */
    private Map<Long, String> offeringPrices = new LinkedHashMap<>();

    /** Price per seat-hour by license edition. */
    private Map<Edition, String> seatPrices = new EnumMap<>(Edition.class);

    static RateCardForm of(RateCardDraft draft) {
        RateCardForm form = new RateCardForm();
        form.setEffectiveFrom(draft.effectiveFrom());
        form.setCurrency(draft.currency());
        form.setName(draft.name());
        form.setNotes(draft.notes());
        draft.offeringPrices().forEach((id, price) -> form.offeringPrices.put(id, plain(price)));
        draft.seatPrices().forEach((edition, price) -> form.seatPrices.put(edition, plain(price)));
        return form;
    }

    /** "0.25" rather than "0.2500": what finance would type. */
    static String plain(BigDecimal price) {
        BigDecimal stripped = price.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    public LocalDate getEffectiveFrom() {
        return effectiveFrom;
    }

    public void setEffectiveFrom(LocalDate effectiveFrom) {
        this.effectiveFrom = effectiveFrom;
    }

    public String getCurrency() {
        return currency;
    }

    /** ISO 4217 codes are upper case; "eur" means EUR. */
    public void setCurrency(String currency) {
        this.currency = currency == null || currency.isBlank() ? null : currency.strip().toUpperCase(java.util.Locale.ROOT);
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? null : name.strip();
    }

    public String getNotes() {
        return notes;
    }

    public void setNotes(String notes) {
        this.notes = notes == null || notes.isBlank() ? null : notes.strip();
    }

    public Map<Long, String> getOfferingPrices() {
        return offeringPrices;
    }

    public void setOfferingPrices(Map<Long, String> offeringPrices) {
        this.offeringPrices = offeringPrices;
    }

    public Map<Edition, String> getSeatPrices() {
        return seatPrices;
    }

    public void setSeatPrices(Map<Edition, String> seatPrices) {
        this.seatPrices = seatPrices;
    }
}
