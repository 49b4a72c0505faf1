package io.vgpuhub.web.finance.costcentres;

/** A cost centre's code and name as the form carries them; the rules (V9's) are CostCentres' own. */
public class CostCentreForm {

    private String code;

    private String name;

    static CostCentreForm of(String code, String name) {
        CostCentreForm form = new CostCentreForm();
        form.setCode(code);
        form.setName(name);
        return form;
    }

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code == null ? null : code.strip();
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? null : name.strip();
    }
}
