package io.vgpuhub.web.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** How prices, hours, costs and memory sizes read on the pages. */
class PricesTests {

    private final Prices prices = new Prices("EUR");

    @ParameterizedTest
    @CsvSource({ "1.4000, 1.40", "0.1930, 0.193", "0.1500, 0.15", "2, 2.00", "0.0000, 0.00", "0.2567, 0.257" })
    void listPricesKeepAtLeastCentsAndAtMostATenthOfACent(String stored, String shown) {
        assertThat(prices.perHour(new BigDecimal(stored))).isEqualTo(shown);
    }

    @Test
    void costIsHoursTimesPriceToTheCent() {
        Duration ninetyMinutes = Duration.ofMinutes(90);
        assertThat(prices.hours(ninetyMinutes)).isEqualTo("1.50");
        assertThat(prices.cost(new BigDecimal("0.257"), ninetyMinutes)).isEqualTo("0.39");
        assertThat(prices.cost(new BigDecimal("4.5"), Duration.ofSeconds(1))).isEqualTo("0.00");
        assertThat(prices.cost(new BigDecimal("4.5"), Duration.ofDays(31))).isEqualTo("3348.00");
        assertThat(prices.currency()).isEqualTo("EUR");
    }

    @ParameterizedTest
    @CsvSource({ "8192, 8", "9856, 9.6", "4864, 4.8", "1024, 1", "0, 0", "81152, 79.3", "65536, 64" })
    void memoryReadsInGigabytesWithAtMostOneDecimal(long mib, String shown) {
        assertThat(Sizes.gigabytes(mib)).isEqualTo(shown);
    }
}
