package io.vgpuhub.metering.chargeback.costcentre;

/**
 * No such cost centre for the tenant (or no such tenant). A code another tenant uses is unknown here too: a tenant's
 * slices bill only to its own cost centres.
 */
public class CostCentreNotFoundException extends RuntimeException {

    private final String code;

    private CostCentreNotFoundException(String message, String code) {
        super(message);
        this.code = code;
    }

    static CostCentreNotFoundException tenant(long tenantId) {
        return new CostCentreNotFoundException("There is no tenant with id " + tenantId + ".", null);
    }

    static CostCentreNotFoundException id(long id) {
        return new CostCentreNotFoundException("The tenant has no cost centre with id " + id + ".", null);
    }

    static CostCentreNotFoundException code(String code) {
        return new CostCentreNotFoundException("Your tenant has no cost centre \u201c" + code + "\u201d.", code);
    }

    /** The code asked for, when it was asked for by code. */
    public String code() {
        return code;
    }
}
