package io.vgpuhub.metering.chargeback.costcentre;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.sql.Types;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Finance's cost centres: a root per tenant, subs under it, codes unique per tenant, and nothing billed to is deleted. */
@SpringBootTest
class CostCentresTests {

    @Autowired
    CostCentres costCentres;

    @Autowired
    JdbcClient jdbc;

    long tenant;
    long otherTenant;
    long user;

    @BeforeEach
    void twoTenants() {
        tenant = tenant("cc-acme-");
        otherTenant = tenant("cc-globex-");
        user = jdbc.sql("""
                insert into app_user (tenant_id, username, display_name, password_hash)
                values (?, ?, 'Cost Centre Test', '{noop}not-a-real-password-hash') returning id""")
                .params(tenant, "cc-" + UUID.randomUUID().toString().substring(0, 8)).query(Long.class).single();
    }

    @Test
    void aTenantStartsWithItsRootAndGainsSubsUnderIt() {
        TenantCostCentres before = costCentres.forTenant(tenant);
        assertThat(before.root().code()).isEqualTo("TENANT-" + tenant);
        assertThat(before.root().root()).isTrue();
        assertThat(before.subs()).isEmpty();

        CostCentre sub = costCentres.create(tenant, " CC-4711 ", "  Render farm ");
        assertThat(sub.code()).isEqualTo("CC-4711");
        assertThat(sub.name()).isEqualTo("Render farm");
        assertThat(sub.parentId()).isEqualTo(before.root().id());
        assertThat(sub.ref().path()).isEqualTo("TENANT-" + tenant + "/CC-4711");

        TenantCostCentres after = costCentres.forTenant(tenant);
        assertThat(after.subs()).extracting(CostCentre::code).containsExactly("CC-4711");
        assertThat(after.all()).extracting(CostCentre::code).containsExactly("TENANT-" + tenant, "CC-4711");
        assertThat(costCentres.tenants()).filteredOn(t -> t.tenantId() == tenant)
                .extracting(TenantCostCentreSummary::rootCode, TenantCostCentreSummary::subs)
                .containsExactly(tuple("TENANT-" + tenant, 1));
    }

    @Test
    void badCodesAndNamesAreRefusedWithEveryProblemAndNothingIsWritten() {
        costCentres.create(tenant, "CC-1", "First");
        Map<String, Object> before = snapshot();

        assertThatThrownBy(() -> costCentres.create(tenant, " ", null))
                .isInstanceOfSatisfying(InvalidCostCentreException.class, e -> assertThat(e.problems())
                        .extracting(InvalidCostCentreException.Problem::field, InvalidCostCentreException.Problem::code)
                        .containsExactly(tuple("code", "required"), tuple("name", "required")));
        assertProblem(() -> costCentres.create(tenant, "-CC", "x"), "code", "pattern");
        assertProblem(() -> costCentres.create(tenant, "CC 1", "x"), "code", "pattern");
        assertProblem(() -> costCentres.create(tenant, "C".repeat(33), "x"), "code", "tooLong");
        assertProblem(() -> costCentres.create(tenant, "cc-1", "Second"), "code", "taken");
        assertProblem(() -> costCentres.create(tenant, "TENANT-" + tenant, "Second"), "code", "taken");
        assertProblem(() -> costCentres.create(tenant, "CC-2", "n".repeat(101)), "name", "tooLong");
        assertProblem(() -> costCentres.create(tenant, "CC-2", "bad\u0000name"), "name", "controlCharacters");
        assertThatThrownBy(() -> costCentres.create(999_999_999L, "CC-2", "x")).isInstanceOf(CostCentreNotFoundException.class)
                .hasMessage("There is no tenant with id 999999999.");

        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void theSameCodeMayServeTwoTenants() {
        costCentres.create(tenant, "SHARED", "Acme's");
        CostCentre other = costCentres.create(otherTenant, "SHARED", "Globex's");
        assertThat(other.tenantId()).isEqualTo(otherTenant);
        assertThat(costCentres.find(tenant, "shared")).get().extracting(CostCentre::name).isEqualTo("Acme's");
        assertThat(costCentres.find(otherTenant, "SHARED")).get().extracting(CostCentre::name).isEqualTo("Globex's");
    }

    @Test
    void renamingAndRecodingChangeOnlyWhatWasAskedAndRefuseClashes() {
        CostCentre sub = costCentres.create(tenant, "CC-1", "First");
        costCentres.create(tenant, "CC-2", "Second");

        assertThat(costCentres.update(tenant, sub.id(), "CC-1", "First")).isEmpty();
        assertThat(costCentres.update(tenant, sub.id(), "CC-1", "Renamed")).get()
                .extracting(CostCentre::code, CostCentre::name).containsExactly("CC-1", "Renamed");
        assertThat(costCentres.update(tenant, sub.id(), "cc-1", "Renamed")).get()
                .extracting(CostCentre::code).as("its own code in another case is no clash").isEqualTo("cc-1");

        Map<String, Object> before = snapshot();
        assertProblem(() -> costCentres.update(tenant, sub.id(), "CC-2", "Renamed"), "code", "taken");
        assertProblem(() -> costCentres.update(tenant, sub.id(), "", "Renamed"), "code", "required");
        assertThatThrownBy(() -> costCentres.update(otherTenant, sub.id(), "CC-9", "Stolen"))
                .isInstanceOf(CostCentreNotFoundException.class);
        assertThat(snapshot()).isEqualTo(before);

        long root = costCentres.forTenant(tenant).root().id();
        assertThat(costCentres.update(tenant, root, "ACME", "Acme Research")).get()
                .extracting(CostCentre::code).isEqualTo("ACME");
    }

    @Test
    void liveSlicesAreCountedPerCostCentreAndSlicesRequestedWithoutOneBillToTheRoot() {
        CostCentre sub = costCentres.create(tenant, "CC-LIVE", "Live");
        long rootSlice = slice(null, "READY");
        slice(sub.id(), "READY");
        slice(sub.id(), "RELEASED");

        TenantCostCentres centres = costCentres.forTenant(tenant);
        assertThat(jdbc.sql("select cost_centre_id from slice where id = ?").param(rootSlice).query(Long.class).single())
                .isEqualTo(centres.root().id());
        assertThat(centres.root().liveSlices()).isEqualTo(1);
        assertThat(centres.subs().get(0).liveSlices()).isEqualTo(1);
    }

    @Test
    void aCostCentreIsDeletedOnlyWhenNothingBillsToItAndNeverTheRoot() {
        CostCentre unused = costCentres.create(tenant, "CC-UNUSED", "Unused");
        CostCentre used = costCentres.create(tenant, "CC-USED", "Used");
        CostCentre adjusted = costCentres.create(tenant, "CC-ADJ", "Adjusted");
        slice(used.id(), "RELEASED");
        jdbc.sql("""
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, created_by)
                values (date '2999-01-01', ?, ?, 12.50, 'credit for an outage', ?)""")
                .params(tenant, adjusted.id(), user).update();
        Map<String, Object> before = snapshot();

        assertThatThrownBy(() -> costCentres.delete(tenant, used.id()))
                .isInstanceOfSatisfying(CostCentreInUseException.class, e -> assertThat(e.slices()).isEqualTo(1))
                .hasMessageContaining("still used by 1 slice(s), 0 adjustment(s)");
        assertThatThrownBy(() -> costCentres.delete(tenant, adjusted.id()))
                .isInstanceOfSatisfying(CostCentreInUseException.class, e -> assertThat(e.adjustments()).isEqualTo(1));
        long root = costCentres.forTenant(tenant).root().id();
        assertThatThrownBy(() -> costCentres.delete(tenant, root))
                .isInstanceOfSatisfying(CostCentreInUseException.class, e -> assertThat(e.root()).isTrue());
        assertThatThrownBy(() -> costCentres.delete(otherTenant, unused.id())).isInstanceOf(CostCentreNotFoundException.class);
        assertThat(snapshot()).isEqualTo(before);

        assertThat(costCentres.delete(tenant, unused.id()).code()).isEqualTo("CC-UNUSED");
        assertThat(costCentres.forTenant(tenant).subs()).extracting(CostCentre::code).containsExactly("CC-ADJ", "CC-USED");
    }

    @Test
    void aSliceRequestFindsOnlyItsOwnTenantsCostCentres() {
        CostCentre sub = costCentres.create(tenant, "CC-MINE", "Mine");
        assertThat(costCentres.forSlice(tenant, " cc-mine ")).isEqualTo(sub.id());
        assertThatThrownBy(() -> costCentres.forSlice(otherTenant, "CC-MINE"))
                .isInstanceOfSatisfying(CostCentreNotFoundException.class, e -> assertThat(e.code()).isEqualTo("CC-MINE"))
                .hasMessage("Your tenant has no cost centre \u201cCC-MINE\u201d.");
        assertThat(costCentres.find(otherTenant, "CC-MINE")).isEmpty();
    }

    private long tenant(String prefix) {
        return jdbc.sql("insert into tenant (name) values (?) returning id")
                .param(prefix + UUID.randomUUID().toString().substring(0, 8)).query(Long.class).single();
    }

    /** A slice of the tenant; RELEASED ones hold no GPU, READY ones a passthrough GPU of their own. */
    private long slice(Long costCentre, String state) {
        Long gpu = null;
        if (state.equals("READY")) {
            long host = jdbc.sql("insert into host (name, agent_token_hash) values (?, ?) returning id")
                    .params("cc-" + UUID.randomUUID(), UUID.randomUUID().toString().replace("-", "").repeat(2))
                    .query(Long.class).single();
            String h = UUID.randomUUID().toString();
            gpu = jdbc.sql("""
                    insert into gpu (host_id, pci_address, uuid, model, memory_mib, mode, reported_mode, sriov)
                    values (?, '0000:01:00.0', ?, 'A40', 46068, 'PASSTHROUGH', 'PASSTHROUGH', false) returning id""")
                    .params(host, "GPU-" + h).query(Long.class).single();
        }
        return jdbc.sql("""
                insert into slice (uuid, tenant_id, requested_by, offering_id, kind, vm_name, state, gpu_id, cost_centre_id,
                                   ready_at, released_at)
                values (:uuid, :tenant, :user, (select id from offering where code = 'A40 whole GPU'), 'PASSTHROUGH', 'vm-1',
                        :state, :gpu, :cc, now() - interval '1 hour', case when :state = 'RELEASED' then now() end)
                returning id""")
                .param("uuid", UUID.randomUUID()).param("tenant", tenant).param("user", user).param("state", state)
                .param("gpu", gpu, Types.BIGINT).param("cc", costCentre, Types.BIGINT)
                .query(Long.class).single();
    }

    /** Every cost centre of the two tenants as it stands, to show a refusal changed nothing. */
    private Map<String, Object> snapshot() {
        List<String> rows = jdbc.sql("""
                select tenant_id || ':' || coalesce(parent_id::text, '-') || ':' || code || ':' || name from cost_centre
                where tenant_id in (?, ?) order by id""").params(tenant, otherTenant).query(String.class).list();
        return Map.of("centres", rows);
    }

    private static void assertProblem(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String field, String code) {
        assertThatThrownBy(call).isInstanceOfSatisfying(InvalidCostCentreException.class, e -> assertThat(e.problems())
                .extracting(InvalidCostCentreException.Problem::field, InvalidCostCentreException.Problem::code)
                .containsExactly(tuple(field, code)));
    }
}
