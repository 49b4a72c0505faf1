package io.vgpuhub.metering.chargeback.costcentre;

/**
 * A cost centre that slices, adjustments or closed statements still name, or a tenant's root, cannot be deleted;
 * nothing was changed.
 */
public class CostCentreInUseException extends RuntimeException {

    private final String code;
    private final long slices;
    private final long adjustments;
    private final long statementLines;

    CostCentreInUseException(String code, long slices, long adjustments, long statementLines) {
        super(message(code, slices, adjustments, statementLines));
        this.code = code;
        this.slices = slices;
        this.adjustments = adjustments;
        this.statementLines = statementLines;
    }

    private static String message(String code, long slices, long adjustments, long lines) {
        if (slices == 0 && adjustments == 0 && lines == 0) {
            return "Cost centre " + code + " is the tenant's root and is kept as long as the tenant.";
        }
        return "Cost centre " + code + " is still used by " + slices + " slice(s), " + adjustments + " adjustment(s) and "
                + lines + " line(s) of closed statements; it stays so that their charges keep their cost centre.";
    }

    /** True when it was refused because the cost centre is the tenant's root. */
    public boolean root() {
        return slices == 0 && adjustments == 0 && statementLines == 0;
    }

    public String code() {
        return code;
    }

    public long slices() {
        return slices;
    }

    public long adjustments() {
        return adjustments;
    }

    public long statementLines() {
        return statementLines;
    }
}
