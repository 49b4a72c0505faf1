package io.vgpuhub.web.apitoken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.OffsetDateTime;

import io.vgpuhub.web.agentapi.HostTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Issuing, listing and revoking tokens: the secret is never stored, names are unique per tenant, all is audited. */
@SpringBootTest(properties = "vgpuhub.test.context=tenant-api")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiTokensTests {

    @Autowired
    ApiTokens tokens;

    @Autowired
    JdbcClient jdbc;

    long tenantId;
    long otherTenantId;
    long userId;

    @BeforeAll
    void twoTenants() {
        tenantId = tenant("Tokens one");
        otherTenantId = tenant("Tokens two");
        jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, 'tokens-admin', 'Tokens admin', '{noop}not-a-real-password-hash') on conflict do nothing
                """).param(tenantId).update();
        userId = jdbc.sql("select id from app_user where username = 'tokens-admin'").query(Long.class).single();
    }

    @Test
    void theSecretIsShownOnceAndOnlyItsHashAndPrefixAreStored() {
        IssuedApiToken issued = tokens.issue(tenantId, userId, "user:tokens-admin", "  ci pipeline  ", Duration.ofDays(30));
        assertThat(issued.secret()).matches("vgh_[A-Za-z0-9_-]{43}");
        assertThat(issued.token().name()).isEqualTo("ci pipeline");
        assertThat(issued.token().prefix()).isEqualTo(issued.secret().substring(0, 12));
        assertThat(issued.token().createdBy()).isEqualTo("tokens-admin");
        assertThat(issued.token().expiresAt()).isBetween(OffsetDateTime.now().plusDays(29), OffsetDateTime.now().plusDays(31));
        String stored = jdbc.sql("select token_hash from api_token where id = ?").param(issued.token().id())
                .query(String.class).single();
        assertThat(stored).isEqualTo(HostTokens.hash(issued.secret())).doesNotContain(issued.secret().substring(4));
        assertThat(audit("token.issue", "token:ci pipeline")).isEqualTo(1);
        // Printed (in a log line, an error message), the token shows no more than its page does.
        assertThat(issued.toString()).contains("ci pipeline").doesNotContain(issued.secret().substring(12));
    }

    @Test
    void twoTokensOfOneTenantCannotShareANameAndTheSecondWritesNothing() {
        tokens.issue(tenantId, userId, "user:tokens-admin", "nightly", null);
        long before = rows();
        assertThatThrownBy(() -> tokens.issue(tenantId, userId, "user:tokens-admin", "nightly", null))
                .isInstanceOf(ApiTokenNameTakenException.class);
        assertThat(rows()).isEqualTo(before);
        assertThat(audit("token.issue", "token:nightly")).isEqualTo(1);
    }

    @Test
    void aNameOrValidityThatCannotBeIsRefusedBeforeAnythingIsWritten() {
        long before = rows();
        assertThatThrownBy(() -> tokens.issue(tenantId, userId, "user:x", " ", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue(tenantId, userId, "user:x", "<script>", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue(tenantId, userId, "user:x", "ok", Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void revokingIsForGoodAuditedOnceAndOnlyWithinTheTenant() {
        IssuedApiToken issued = tokens.issue(tenantId, userId, "user:tokens-admin", "to-revoke", null);
        assertThatThrownBy(() -> tokens.revoke(otherTenantId, issued.token().id(), "user:intruder"))
                .isInstanceOf(ApiTokenNotFoundException.class);
        assertThat(tokens.find(tenantId, issued.token().id()).orElseThrow().revoked()).isFalse();

        ApiTokenView revoked = tokens.revoke(tenantId, issued.token().id(), "user:tokens-admin");
        assertThat(revoked.revoked()).isTrue();
        assertThat(revoked.usable()).isFalse();
        tokens.revoke(tenantId, issued.token().id(), "user:tokens-admin");
        assertThat(audit("token.revoke", "token:to-revoke")).isEqualTo(1);
        assertThat(tokens.check(issued.secret()).outcome()).isEqualTo(TokenCheck.Outcome.REVOKED);
    }

    @Test
    void theListShowsATenantsTokensOnlyUsableOnesFirst() {
        IssuedApiToken old = tokens.issue(tenantId, userId, "user:tokens-admin", "list-old", null);
        tokens.revoke(tenantId, old.token().id(), "user:tokens-admin");
        tokens.issue(tenantId, userId, "user:tokens-admin", "list-new", null);
        assertThat(tokens.of(otherTenantId)).extracting(ApiTokenView::name).doesNotContain("list-old", "list-new");
        assertThat(tokens.of(tenantId)).extracting(ApiTokenView::name).contains("list-new", "list-old");
        assertThat(tokens.of(tenantId).get(0).usable()).isTrue();
        assertThat(tokens.of(tenantId).get(tokens.of(tenantId).size() - 1).usable()).isFalse();
    }

    @Test
    void aGenuineTokenActsAsItsIssuerWithinItsTenantAndIsAuditedByName() {
        IssuedApiToken issued = tokens.issue(tenantId, userId, "user:tokens-admin", "acts-as", null);
        jdbc.sql("insert into user_role (user_id, role) values (?, 'TENANT_ADMIN') on conflict do nothing").param(userId).update();
        TokenCheck check = tokens.check(issued.secret());
        assertThat(check.outcome()).isEqualTo(TokenCheck.Outcome.VALID);
        assertThat(check.client().requester().tenantId()).isEqualTo(tenantId);
        assertThat(check.client().requester().userId()).isEqualTo(userId);
        assertThat(check.client().requester().actor()).isEqualTo("token:acts-as");
    }

    private long tenant(String name) {
        jdbc.sql("insert into tenant (name) values (?) on conflict (name) do nothing").param(name).update();
        return jdbc.sql("select id from tenant where name = ?").param(name).query(Long.class).single();
    }

    private long rows() {
        return jdbc.sql("select count(*) from api_token").query(Long.class).single();
    }

    private long audit(String action, String target) {
        return jdbc.sql("select count(*) from audit_event where action = ? and target = ? and tenant_id = ?")
                .params(action, target, tenantId).query(Long.class).single();
    }
}
