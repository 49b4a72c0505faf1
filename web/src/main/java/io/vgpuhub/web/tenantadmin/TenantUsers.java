package io.vgpuhub.web.tenantadmin;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import io.vgpuhub.web.audit.AuditEvents;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The users of one tenant, as its admins manage them: add, change tenant roles, disable and enable. An admin can
 * neither drop their own admin role nor disable themselves, so a tenant never locks its last admin out by accident.
 * Every change writes an audit event in the same transaction.
 */
@Service
class TenantUsers {

    private static final String VIEW = """
            select u.id, u.username, u.display_name, u.enabled, u.created_at,
                   coalesce(array_agg(r.role order by r.role) filter (where r.role is not null), '{}') as roles
            from app_user u left join user_role r on r.user_id = u.id
            """;

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AuditEvents auditEvents;

    TenantUsers(JdbcClient jdbc, PasswordEncoder passwords, AuditEvents auditEvents) {
        this.auditEvents = auditEvents;
        this.jdbc = jdbc;
        this.passwords = passwords;
    }

    /** The signed-in user as an admin of their tenant, if the database still says they are one. */
    Optional<TenantAdmin> admin(long userId) {
        return jdbc.sql("""
                select t.id as tenant_id, t.name as tenant_name, u.id as user_id, u.username
                from app_user u join tenant t on t.id = u.tenant_id
                where u.id = ? and u.enabled
                  and exists (select 1 from user_role r where r.user_id = u.id and r.role = 'TENANT_ADMIN')
                """).param(userId).query(TenantAdmin.class).optional();
    }

    List<TenantUserView> of(long tenantId) {
        return jdbc.sql(VIEW + " where u.tenant_id = ? group by u.id order by lower(u.display_name), u.username")
                .param(tenantId).query(TenantUsers::view).list();
    }

    boolean usernameTaken(String username) {
        return jdbc.sql("select exists (select 1 from app_user where username = ?)").param(username)
                .query(Boolean.class).single();
    }

    /** @throws UsernameTakenException when someone, in any tenant, has the user name; nothing is written then */
    @Transactional
    long add(TenantAdmin admin, String displayName, String username, String password, Set<TenantRole> roles) {
        if (roles.isEmpty()) {
            throw new IllegalArgumentException("A user needs at least one role");
        }
        long id;
        try {
            id = jdbc.sql("""
                    insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, ?, ?)
                    returning id
                    """).params(admin.tenantId(), username, displayName, passwords.encode(password))
                    .query(Long.class).single();
        }
        catch (DuplicateKeyException e) {
            throw new UsernameTakenException(username);
        }
        for (TenantRole role : roles) {
            jdbc.sql("insert into user_role (user_id, role) values (?, ?)").params(id, role.name()).update();
        }
        audit(admin, "user.add", username, "roles " + names(roles));
        return id;
    }

    /** Sets the user's tenant roles to exactly {@code roles}; other roles they hold stay as they are. */
    @Transactional
    void setRoles(TenantAdmin admin, long userId, Set<TenantRole> roles) {
        TenantUserView user = lock(admin, userId);
        if (roles.isEmpty()) {
            throw new TenantAdminRefusal("admin.users.roles.none");
        }
        if (userId == admin.userId() && !roles.contains(TenantRole.TENANT_ADMIN)) {
            throw new TenantAdminRefusal("admin.users.roles.self");
        }
        Set<TenantRole> before = EnumSet.noneOf(TenantRole.class);
        user.roles().stream().filter(role -> Arrays.stream(TenantRole.values()).anyMatch(r -> r.name().equals(role)))
                .forEach(role -> before.add(TenantRole.valueOf(role)));
        if (before.equals(roles)) {
            return;
        }
        for (TenantRole role : TenantRole.values()) {
            if (before.contains(role) && !roles.contains(role)) {
                jdbc.sql("delete from user_role where user_id = ? and role = ?").params(userId, role.name()).update();
            }
            if (!before.contains(role) && roles.contains(role)) {
                jdbc.sql("insert into user_role (user_id, role) values (?, ?)").params(userId, role.name()).update();
            }
        }
        audit(admin, "user.roles", user.username(), names(before) + " -> " + names(roles));
    }

    /** Disables or enables the user; a disabled user cannot sign in and their API tokens stop acting. */
    @Transactional
    void setEnabled(TenantAdmin admin, long userId, boolean enabled) {
        TenantUserView user = lock(admin, userId);
        if (userId == admin.userId() && !enabled) {
            throw new TenantAdminRefusal("admin.users.disable.self");
        }
        if (user.enabled() == enabled) {
            return;
        }
        jdbc.sql("update app_user set enabled = ? where id = ?").params(enabled, userId).update();
        audit(admin, enabled ? "user.enable" : "user.disable", user.username(), null);
    }

    /** The user, row-locked for a change, if they belong to the admin's tenant. */
    TenantUserView lock(TenantAdmin admin, long userId) {
        jdbc.sql("select id from app_user where id = ? and tenant_id = ? for update").params(userId, admin.tenantId())
                .query(Long.class).optional().orElseThrow(() -> new TenantUserNotFoundException(userId));
        return jdbc.sql(VIEW + " where u.id = ? group by u.id").param(userId).query(TenantUsers::view).single();
    }

    private static TenantUserView view(ResultSet rs, int row) throws SQLException {
        return new TenantUserView(rs.getLong("id"), rs.getString("username"), rs.getString("display_name"),
                rs.getBoolean("enabled"), Arrays.asList((String[]) rs.getArray("roles").getArray()),
                rs.getObject("created_at", OffsetDateTime.class));
    }

    private void audit(TenantAdmin admin, String action, String username, String detail) {
        auditEvents.record(admin.actor(), admin.tenantId(), action, "user:" + username, detail);
    }

    private static String names(Set<TenantRole> roles) {
        return roles.isEmpty() ? "none" : roles.stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
    }
}
