package io.vgpuhub.web.finance;

import java.time.DateTimeException;
import java.time.YearMonth;
import java.util.regex.Pattern;

import org.springframework.core.convert.converter.Converter;
import org.springframework.stereotype.Component;

/**
 * Reads a billing month from a URL ({@code /finance/months/2025-03}, {@code /billing/2025-03}): exactly yyyy-MM. Spring
 * MVC turns the refusal into a type mismatch, which the finance and billing pages answer with a 400 page.
 */
@Component
class MonthConverter implements Converter<String, YearMonth> {

    private static final Pattern MONTH = Pattern.compile("\\d{4}-\\d{2}");

    @Override
    public YearMonth convert(String source) {
        String text = source.strip();
        if (!MONTH.matcher(text).matches()) {
            throw new IllegalArgumentException("not a month in the form yyyy-MM: " + source);
        }
        try {
            return YearMonth.parse(text);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("not a month in the form yyyy-MM: " + source, e);
        }
    }
}
