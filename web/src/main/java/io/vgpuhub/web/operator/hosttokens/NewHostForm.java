package io.vgpuhub.web.operator.hosttokens;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The register-a-host form: the host's name, as the schema allows it (letters, digits, dots, dashes; 63 at most). */
public class NewHostForm {

    @NotBlank
    @Size(max = 63)
    @Pattern(regexp = HostRegistry.NAME_REGEX)
    private String name;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name == null ? null : name.strip();
    }
}
