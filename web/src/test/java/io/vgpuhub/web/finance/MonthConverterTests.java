package io.vgpuhub.web.finance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.YearMonth;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Months in URLs are exactly yyyy-MM. */
class MonthConverterTests {

    private final MonthConverter converter = new MonthConverter();

    @Test
    void readsYearAndMonth() {
        assertThat(converter.convert("2024-02")).isEqualTo(YearMonth.of(2024, 2));
        assertThat(converter.convert("1999-12")).isEqualTo(YearMonth.of(1999, 12));
    }

    @ParameterizedTest
    @ValueSource(strings = { "2024-13", "2024-00", "2024-2", "24-02", "2024-02-01", "+2024-02", "February", "", "２０２４-02" })
    void refusesAnythingElse(String text) {
        assertThatIllegalArgumentException().isThrownBy(() -> converter.convert(text)).withMessageContaining("yyyy-MM");
    }
}
