package io.vgpuhub.web.tenantadmin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import io.vgpuhub.web.security.PasswordPolicy;

/** A new user of the tenant; messages are keyed by constraint in i18n/admin ("Pattern.newUser.username"). */
public class NewUserForm {

    @NotBlank
    @Size(max = 100)
    private String displayName;

    // The schema's rule for user names; they are lower-cased, as the login page does.
    @NotNull
    @Pattern(regexp = "^[a-z0-9][a-z0-9._@-]{1,63}$")
    private String username;

    // The length here gives the form its message; PasswordPolicy has the other rules (and the same length).
    @NotNull
    @Size(min = PasswordPolicy.MIN_LENGTH, max = PasswordPolicy.MAX_LENGTH)
    private String password;

    @NotEmpty
    private List<TenantRole> roles = new ArrayList<>(List.of(TenantRole.TENANT_USER));

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName == null ? null : displayName.strip();
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username == null ? null : username.strip().toLowerCase(Locale.ROOT);
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public List<TenantRole> getRoles() {
        return roles;
    }

    public void setRoles(List<TenantRole> roles) {
        this.roles = roles == null ? new ArrayList<>() : roles;
    }
}
