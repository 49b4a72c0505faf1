package io.vgpuhub.web.finance.close;

import java.math.BigDecimal;
import java.time.YearMonth;

import io.vgpuhub.metering.chargeback.close.Adjustments;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * An adjustment as the form carries it. Limits are the table's; messages are keyed by constraint in
 * i18n/financeclose. Rules that need the database (the cost centre is the tenant's, the corrected month is closed)
 * are Adjustments' own.
 */
public class AdjustmentForm {

    @NotNull
    private Long tenantId;

    /** Empty: the tenant's root cost centre. */
    private Long costCentreId;

    @NotNull
    private BigDecimal amount;

    @NotNull
    @Size(min = Adjustments.MIN_REASON, max = Adjustments.MAX_REASON)
    private String reason;

    /** yyyy-MM, or empty when the adjustment corrects no particular month. */
    @Pattern(regexp = "(\\d{4}-(0[1-9]|1[0-2]))?")
    private String correctsMonth;

    public Long getTenantId() {
        return tenantId;
    }

    public void setTenantId(Long tenantId) {
        this.tenantId = tenantId;
    }

    public Long getCostCentreId() {
        return costCentreId;
    }

    public void setCostCentreId(Long costCentreId) {
        this.costCentreId = costCentreId;
    }

    public BigDecimal getAmount() {
        return amount;
    }

    public void setAmount(BigDecimal amount) {
        this.amount = amount;
    }

    public String getReason() {
        return reason;
    }

    /** Surrounding spaces are not part of the reason (so a reason of spaces only is too short). */
    public void setReason(String reason) {
        this.reason = reason == null ? null : reason.strip();
    }

    public String getCorrectsMonth() {
        return correctsMonth;
    }

    public void setCorrectsMonth(String correctsMonth) {
        this.correctsMonth = correctsMonth == null ? null : correctsMonth.strip();
    }

    /** The corrected month, once the pattern has been checked; null when none was given. */
    YearMonth correctsMonth() {
        return correctsMonth == null || correctsMonth.isEmpty() ? null : YearMonth.parse(correctsMonth);
    }
}
