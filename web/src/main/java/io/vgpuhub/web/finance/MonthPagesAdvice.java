package io.vgpuhub.web.finance;

import java.time.YearMonth;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

import io.vgpuhub.web.i18n.Notices;
import io.vgpuhub.web.i18n.UtcFormat;

/**
 * What the finance pages and the tenant's billing pages share: the UTC formatter templates use, and a malformed month
 * or id in the URL, or a month, tenant or slice that is not there, answered with an HTML page that says what was wrong
 * (never a 500, nothing changed). Each side names its own error view and message keys.
 */
public abstract class MonthPagesAdvice {

    /** Templates call UtcFormat's static methods through this instance ({@code ${utc.minute(...)}}). */
    private static final UtcFormat UTC = new UtcFormat();

    private final Notices notices;
    private final String view;
    private final String keyPrefix;

    /**
     * @param view the error page, e.g. {@code finance/error}
     * @param keyPrefix the messages' prefix: {@code <prefix>.month} and {@code <prefix>.malformed}
     */
    protected MonthPagesAdvice(Notices notices, String view, String keyPrefix) {
        this.notices = notices;
        this.view = view;
        this.keyPrefix = keyPrefix;
    }

    @ModelAttribute("utc")
    public UtcFormat utc() {
        return UTC;
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    public ModelAndView malformed(MethodArgumentTypeMismatchException e) {
        String text = YearMonth.class.equals(e.getRequiredType())
                ? notices.text(keyPrefix + ".month", String.valueOf(e.getValue()))
                : notices.text(keyPrefix + ".malformed", String.valueOf(e.getValue()), e.getName());
        return Notices.refusalPage(view, HttpStatus.BAD_REQUEST, text);
    }

    @ExceptionHandler(UnknownFinanceItemException.class)
    public ModelAndView unknown(UnknownFinanceItemException e) {
        return Notices.refusalPage(view, HttpStatus.NOT_FOUND, notices.text(e.messageKey(), e.arguments()));
    }
}
