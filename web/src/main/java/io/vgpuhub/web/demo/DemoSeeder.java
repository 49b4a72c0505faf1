package io.vgpuhub.web.demo;

import java.time.Clock;
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

    /**
     * License orders the demo provider bought, by order reference: one per edition in force, a vWS expansion that runs
     * out in about 45 days and a vWS pilot that already has. Validity is relative to the first start.
     */
    private record DemoEntitlement(String orderReference, String edition, int seats, int fromDaysAgo, Integer untilDaysAhead,
            String notes) {
    }

    private static final List<DemoEntitlement> ENTITLEMENTS = List.of(
            new DemoEntitlement("DEMO-VWS-2025", "VWS", 16, 120, 245, "Annual vWS subscription"),
            new DemoEntitlement("DEMO-VPC-2025", "VPC", 32, 120, 245, "Annual vPC subscription"),
            new DemoEntitlement("DEMO-VAPPS-2025", "VAPPS", 8, 120, 245, "Annual vApps subscription"),
            new DemoEntitlement("DEMO-VCS-PERPETUAL", "VCS", 4, 300, null, "Perpetual vCS licenses, counted per GPU"),
            new DemoEntitlement("DEMO-VWS-EXPANSION", "VWS", 4, 320, 45, "Expansion for the rendering project; renew or let lapse"),
            new DemoEntitlement("DEMO-VWS-PILOT", "VWS", 8, 400, -35, "Pilot, expired"));

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
    private final DemoFinance finance;
    private final Clock clock;

    DemoSeeder(JdbcClient jdbc, PasswordEncoder passwords, DemoSettings settings, Environment environment,
            DemoFinance finance, Clock clock) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.settings = settings;
        this.environment = environment;
        this.finance = finance;
        this.clock = clock;
    }

    @Override
    @Transactional
    public void run(ApplicationArguments args) {
        jdbc.sql("insert into tenant (name) values (?) on conflict (name) do nothing").param(TENANT).update();
        long tenantId = jdbc.sql("select id from tenant where name = ?").param(TENANT).query(Long.class).single();
        for (DemoUser user : USERS) {
            addUser(user.username(), user.displayName(), user.inTenant() ? tenantId : null, user.roles());
        }
        seedEntitlements();
        if (settings.finance()) {
            finance.seed(clock.instant(), environment.getProperty("vgpuhub.portal.currency", "USD"),
                    (username, displayName, tenant) -> addUser(username, displayName, tenant, List.of("TENANT_USER")));
        }
        // The configured demo token replaces the previous configured one (a redeploy with a new secret), but never
        // one an operator revoked or issued on the host's token page (its prefix is set): a leaked demo token that was
        // revoked must not come back with the next start.
        int applied = jdbc.sql("""
                insert into host (name, agent_token_hash) values (?, ?)
                on conflict (name) do update set agent_token_hash = excluded.agent_token_hash,
                    agent_token_issued_at = case when host.agent_token_hash is distinct from excluded.agent_token_hash
                                                 then now() else host.agent_token_issued_at end
                where host.agent_token_revoked_at is null and host.agent_token_prefix is null
                """).params(HOST, HostTokens.hash(settings.agentToken())).update();
        if (applied == 0) {
            log.info("The configured demo agent token was not applied to host '{}': an operator revoked or rotated its"
                    + " token, and manages it on the host's token page from now on", HOST);
        }
        log.info("""

                ==================== vGPU Hub demo ====================
                 Portal:    http://localhost:{}/
                 Logins (password '{}'):
                   alice   tenant user of {}
                   tom     tenant admin of {}
                   olivia  operator
                   fiona   finance
                   leo     license administrator
                   nora    tenant user of {} (with finance demo data)
                 Simulated host '{}' {}.
                =======================================================""",
                environment.getProperty("local.server.port", "8080"), settings.password(), TENANT, TENANT,
                DemoFinance.SECOND_TENANT, HOST, applied == 0
                        ? "keeps the token an operator set on its token page (the configured demo token is not used)"
                        : "authenticates with the configured demo agent token");
    }

    private void addUser(String username, String displayName, Long tenantId, List<String> roles) {
        int added = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash) values (:tenant, :username, :name, :hash)
                on conflict (username) do nothing
                """).param("tenant", tenantId, java.sql.Types.BIGINT).param("username", username).param("name", displayName)
                .param("hash", passwords.encode(settings.password())).update();
        if (added == 1) {
            for (String role : roles) {
                jdbc.sql("""
                        insert into user_role (user_id, role) select id, ? from app_user where username = ?
                        """).params(role, username).update();
            }
        }
    }

    private void seedEntitlements() {
        for (DemoEntitlement order : ENTITLEMENTS) {
            jdbc.sql("""
                    insert into license_entitlement (edition, seats, valid_from, valid_until, order_reference, notes)
                    select :edition, :seats, date_trunc('day', now()) - make_interval(days => :fromDaysAgo),
                           date_trunc('day', now()) + make_interval(days => :untilDaysAhead), :reference, :notes
                    where not exists (select 1 from license_entitlement where order_reference = :reference)
                    """).param("edition", order.edition()).param("seats", order.seats())
                    .param("fromDaysAgo", order.fromDaysAgo())
                    .param("untilDaysAhead", order.untilDaysAhead(), java.sql.Types.INTEGER)
                    .param("reference", order.orderReference()).param("notes", order.notes()).update();
        }
    }
}
