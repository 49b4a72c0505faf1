package io.vgpuhub.web.finance;

import org.springframework.web.bind.annotation.ControllerAdvice;

import io.vgpuhub.web.i18n.Notices;

/** {@link MonthPagesAdvice} for every finance page, sub-packages included. */
@ControllerAdvice(basePackageClasses = FinancePagesAdvice.class)
class FinancePagesAdvice extends MonthPagesAdvice {

    FinancePagesAdvice(Notices notices) {
        super(notices, "finance/error", "finance.error");
    }
}
