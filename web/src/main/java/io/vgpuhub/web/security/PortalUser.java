package io.vgpuhub.web.security;

import java.util.Collection;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;

/** A signed-in person, with the tenant they act for (none for provider staff such as operators). */
public class PortalUser extends User {

    private final long userId;
    private final Long tenantId;
    private final String displayName;

    PortalUser(long userId, Long tenantId, String username, String displayName, String passwordHash, boolean enabled,
            Collection<? extends GrantedAuthority> authorities) {
        super(username, passwordHash, enabled, true, true, true, authorities);
        this.userId = userId;
        this.tenantId = tenantId;
        this.displayName = displayName;
    }

    public long userId() {
        return userId;
    }

    public Long tenantId() {
        return tenantId;
    }

    public String displayName() {
        return displayName;
    }
}
