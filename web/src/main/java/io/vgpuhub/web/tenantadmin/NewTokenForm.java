package io.vgpuhub.web.tenantadmin;

import io.vgpuhub.web.apitoken.ApiTokens;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/** A new API token: a name the tenant recognises it by, and how long it works (empty: until revoked). */
public class NewTokenForm {

    @NotBlank
    @Pattern(regexp = ApiTokens.NAME_REGEX)
    private String name;

    @Min(1)
    @Max(730)
    private Integer validForDays = 90;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? null : name.strip();
    }

    public Integer getValidForDays() {
        return validForDays;
    }

    public void setValidForDays(Integer validForDays) {
        this.validForDays = validForDays;
    }
}
