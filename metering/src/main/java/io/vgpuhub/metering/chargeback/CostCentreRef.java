package io.vgpuhub.metering.chargeback;

/**
 * A cost centre as a statement names it: its code and name, and the code of the tenant's root cost centre it sits
 * under ({@code parentCode} null for the root itself).
 */
public record CostCentreRef(long id, String code, String name, String parentCode) {

    /** "ROOT/SUB" for a sub cost centre, "ROOT" for a root: how statements and CSV name it. */
    public String path() {
        return parentCode == null ? code : parentCode + "/" + code;
    }
}
