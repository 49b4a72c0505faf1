package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Transactional;

/**
 * V14: a host has a token hash exactly while its token is not revoked, and the shown prefix is short and plain. Each
 * test runs in a rolled-back transaction and each statement expected to fail in a savepoint, as in
 * SchemaConstraintsTests.
 */
@SpringBootTest
@Transactional
class HostTokenSchemaTests extends SchemaTestSupport {

    @Test
    void aHostStartsWithAnIssuedTokenThatIsNotRevoked() {
        assertThat(token()).containsEntry("revoked", false).containsEntry("issued", true);
    }

    @Test
    void aRevokedHostKeepsNoHash() {
        jdbc.sql("update host set agent_token_hash = null, agent_token_revoked_at = now() where id = ?")
                .param(db.host()).update();

        assertThat(token()).containsEntry("revoked", true).containsEntry("hash", null);
    }

    @Test
    void aHashAndARevocationNeverComeTogetherNorAreBothMissing() {
        assertThatStatement(() -> jdbc.sql("update host set agent_token_revoked_at = now() where id = ?")
                .param(db.host()).update())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("host_agent_token_revoked_check");
        assertThatStatement(() -> jdbc.sql("update host set agent_token_hash = null where id = ?")
                .param(db.host()).update())
                .isRejectedWith(CHECK_VIOLATION).byConstraint("host_agent_token_revoked_check");
        assertThat(token()).containsEntry("revoked", false);
    }

    @Test
    void theShownPrefixIsAShortRunOfTokenCharacters() {
        jdbc.sql("update host set agent_token_prefix = 'vgha_AbC-12_x' where id = ?").param(db.host()).update();
        for (String bad : new String[] { "vgha_abcdefghijklmnop", "vg", "vgha abc", "vgha_abc'--" }) {
            assertThatStatement(() -> jdbc.sql("update host set agent_token_prefix = ? where id = ?")
                    .params(bad, db.host()).update())
                    .isRejectedWith(CHECK_VIOLATION).byConstraint("host_agent_token_prefix_check");
        }
        assertThat(jdbc.sql("select agent_token_prefix from host where id = ?").param(db.host()).query(String.class)
                .single()).isEqualTo("vgha_AbC-12_x");
    }

    private Map<String, Object> token() {
        return jdbc.sql("""
                select agent_token_hash as hash, agent_token_revoked_at is not null as revoked,
                       agent_token_issued_at is not null as issued
                from host where id = ?""").param(db.host()).query().singleRow();
    }
}
