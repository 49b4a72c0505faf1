package io.vgpuhub.web.portal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Prices and costs as the portal shows them, in the provider's currency. List prices keep their tenth of a cent
 * (V5 rounds them so); costs are shown to the cent and are estimates, since finance's rate cards make the bill.
 */
@Component
class Prices {

    private static final BigDecimal SECONDS_PER_HOUR = BigDecimal.valueOf(3600);

    private final String currency;

    @Autowired
    Prices(PortalSettings settings) {
        this(settings.currency());
    }

    Prices(String currency) {
        this.currency = currency;
    }

    String currency() {
        return currency;
    }

    /** "1.40", "0.193": at least cents, at most the tenth of a cent the catalog stores. */
    String perHour(BigDecimal price) {
        BigDecimal shown = price.setScale(3, RoundingMode.HALF_UP).stripTrailingZeros();
        return (shown.scale() < 2 ? shown.setScale(2, RoundingMode.UNNECESSARY) : shown).toPlainString();
    }

    /** Hours of an allocation, to the hundredth. */
    String hours(Duration allocated) {
        return hoursOf(allocated).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    /** What {@code allocated} costs at {@code price} per hour, to the cent. */
    String cost(BigDecimal price, Duration allocated) {
        return price.multiply(hoursOf(allocated)).setScale(2, RoundingMode.HALF_UP).toPlainString();
    }

    private static BigDecimal hoursOf(Duration allocated) {
        return BigDecimal.valueOf(allocated.toSeconds()).divide(SECONDS_PER_HOUR, 6, RoundingMode.HALF_UP);
    }
}
