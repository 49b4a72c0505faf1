package io.vgpuhub.web.demo;

import java.util.List;

import io.vgpuhub.web.agentapi.HostTokens;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Seeds what a first-time visitor needs to try vGPU Hub: a tenant with a user, provider staff, and the simulated
 * host the demo agent reports as. Runs on every start and only adds what is missing, so a restart keeps the data.
 */
@Component
@ConditionalOnBooleanProperty(name = "vgpuhub.demo.enabled", matchIfMissing = true)
class DemoSeeder implements ApplicationRunner {

    static final String TENANT = "Acme Research";
    static final String HOST = "sim-host-1";

    private static final Logger log = LoggerFactory.getLogger(DemoSeeder.class);

    private record DemoUser(String username, String displayName, boolean inTenant, List<String> roles) {
    }

    private static final List<DemoUser> USERS = List.of(
            new DemoUser("alice", "Alice Chen (tenant user)", true, List.of("TENANT_USER")),
            new DemoUser("tom", "Tom Berger (tenant admin)", true, List.of("TENANT_USER", "TENANT_ADMIN")),
            new DemoUser("olivia", "Olivia Park (operator)", false, List.of("OPERATOR")),
            new DemoUser("fiona", "Fiona Walsh (finance)", false, List.of("FINANCE")),
            new DemoUser("leo", "Leo Novak (license administrator)", false, List.of("LICENSE_ADMIN")));

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final DemoSettings settings;
    private final Environment environment;

    DemoSeeder(JdbcClient jdbc, PasswordEncoder passwords, DemoSettings settings, Environment environment) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.settings = settings;
        this.environment = environment;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        jdbc.sql("insert into tenant (name) values (?) on conflict (name) do nothing").param(TENANT).update();
        long tenantId = jdbc.sql("select id from tenant where name = ?").param(TENANT).query(Long.class).single();
        for (DemoUser user : USERS) {
            int added = jdbc.sql("""
                    insert into app_user (tenant_id, username, display_name, password_hash) values (?, ?, ?, ?)
                    on conflict (username) do nothing
                    """).params(user.inTenant() ? tenantId : null, user.username(), user.displayName(),
                    passwords.encode(settings.password())).update();
            if (added == 1) {
                for (String role : user.roles()) {
                    jdbc.sql("""
                            insert into user_role (user_id, role) select id, ? from app_user where username = ?
                            """).params(role, user.username()).update();
                }
            }
        }
        jdbc.sql("""
                insert into host (name, agent_token_hash) values (?, ?)
                on conflict (name) do update set agent_token_hash = excluded.agent_token_hash
                """).params(HOST, HostTokens.hash(settings.agentToken())).update();
        log.info("""

                ==================== vGPU Hub demo ====================
                 Portal:    http://localhost:{}/
                 Logins (password '{}'):
                   alice   tenant user of {}
                   tom     tenant admin of {}
                   olivia  operator
                   fiona   finance
                   leo     license administrator
                 Simulated host '{}' authenticates with the configured demo agent token.
                =======================================================""",
                environment.getProperty("local.server.port", "8080"), settings.password(), TENANT, TENANT, HOST);
    }
}
