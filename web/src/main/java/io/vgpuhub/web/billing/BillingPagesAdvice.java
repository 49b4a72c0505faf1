package io.vgpuhub.web.billing;

import org.springframework.web.bind.annotation.ControllerAdvice;

import io.vgpuhub.web.finance.MonthPagesAdvice;
import io.vgpuhub.web.i18n.Notices;

/** {@link MonthPagesAdvice} for the tenant's billing pages. */
@ControllerAdvice(basePackageClasses = BillingPagesAdvice.class)
class BillingPagesAdvice extends MonthPagesAdvice {

    BillingPagesAdvice(Notices notices) {
        super(notices, "billing/error", "billing.error");
    }
}
