package io.vgpuhub.web.security;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.stereotype.Service;

/** Loads portal users and their roles from the database. */
@Service
class PortalUserDetailsService implements UserDetailsService {

    private final JdbcClient jdbc;

    PortalUserDetailsService(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public PortalUser loadUserByUsername(String username) {
        if (TypedNames.hasControlCharacters(username)) {
            // No user name has one, and PostgreSQL refuses a NUL in a query.
            throw new UsernameNotFoundException("no such user");
        }
        record Row(long id, Long tenantId, String username, String displayName, String passwordHash, boolean enabled) {
        }
        Row row = jdbc.sql("select id, tenant_id, username, display_name, password_hash, enabled from app_user where username = ?")
                .param(username.toLowerCase()).query(Row.class).optional()
                .orElseThrow(() -> new UsernameNotFoundException("no such user"));
        List<SimpleGrantedAuthority> roles = jdbc.sql("select role from user_role where user_id = ? order by role")
                .param(row.id()).query(String.class).list().stream()
                .map(role -> new SimpleGrantedAuthority("ROLE_" + role))
                .toList();
        return new PortalUser(row.id(), row.tenantId(), row.username(), row.displayName(), row.passwordHash(),
                row.enabled(), roles);
    }
}
