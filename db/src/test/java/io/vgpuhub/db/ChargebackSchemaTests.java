package io.vgpuhub.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;

import io.vgpuhub.db.SchemaFixtures.Offering;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.transaction.annotation.Transactional;

/**
 * V9's guarantees that do not rest on the code above the database: cost centres made and kept in shape by triggers,
 * a slice billing only its own tenant, and a closed month's rows frozen for good. Like SchemaConstraintsTests, each
 * test runs in a rolled-back transaction and each statement expected to fail in a savepoint; each month a test
 * closes is its own (far in the past), so rolled-back closes never meet.
 */
@SpringBootTest
@Transactional
class ChargebackSchemaTests extends SchemaTestSupport {

    /** object_not_in_prerequisite_state: what the frozen-month triggers raise. */
    static final String FROZEN = "55000";

    // ---------------------------------------------------------------- cost centres

    @Test
    void aNewTenantGetsItsRootCostCentre() {
        long tenant = db.tenant();

        assertThat(jdbc.sql("select code, parent_id is null from cost_centre where tenant_id = ?").param(tenant)
                .query((rs, row) -> rs.getString(1) + " root=" + rs.getBoolean(2)).list())
                .containsExactly("TENANT-" + tenant + " root=true");
    }

    @Test
    void aTenantHasOneRootCostCentre() {
        long tenant = db.tenant();

        assertThatStatement(() -> jdbc.sql("insert into cost_centre (tenant_id, code, name) values (?, 'SECOND', 'x')")
                .param(tenant).update())
                .isRejectedWith("23505").byConstraint("cost_centre_root_idx");
        assertThat(costCentresOf(tenant)).isEqualTo(1);
    }

    @Test
    void subCostCentresSitOnlyDirectlyUnderTheRoot() {
        long tenant = db.tenant();
        long sub = subCostCentre(tenant, "CC-1");

        assertThatStatement(() -> jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name) values (?, ?, 'CC-1-A', 'Too deep')""")
                .params(tenant, sub).update())
                .isRejectedWith(CHECK_VIOLATION).byTrigger("cost_centre_depth_check", "may only sit under");
        long other = subCostCentre(tenant, "CC-2");
        assertThatStatement(() -> jdbc.sql("update cost_centre set parent_id = ? where id = ?").params(other, sub).update())
                .isRejectedWith(CHECK_VIOLATION).byTrigger("cost_centre_depth_check", "may only sit under");
        assertThat(costCentresOf(tenant)).isEqualTo(3);
    }

    @Test
    void aSubCostCentreHangsOffItsOwnTenantsRoot() {
        long tenant = db.tenant();
        long otherRoot = root(db.tenant());

        assertThatStatement(() -> jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name) values (?, ?, 'CC-X', 'Stray')""")
                .params(tenant, otherRoot).update())
                .isRejectedWith(FOREIGN_KEY_VIOLATION).byConstraint("cost_centre_parent_id_tenant_id_fkey");
        assertThat(costCentresOf(tenant)).isEqualTo(1);
    }

    @Test
    void aSliceWithoutACostCentreBillsItsTenantsRoot() {
        long slice = db.slice(db.passthroughOffering()).on(db.gpu("PASSTHROUGH")).insert();

        assertThat(costCentreOf(slice)).isEqualTo(root(db.tenancy().tenantId()));
    }

    @Test
    void aSliceCannotBillAnotherTenantsCostCentre() {
        Offering offering = db.passthroughOffering();
        long gpu = db.gpu("PASSTHROUGH");
        long slice = db.slice(offering).on(gpu).insert();
        long otherTenantsCostCentre = subCostCentre(db.tenant(), "CC-OTHER");

        assertThatStatement(() -> jdbc.sql("update slice set cost_centre_id = ? where id = ?")
                .params(otherTenantsCostCentre, slice).update())
                .isRejectedWith(FOREIGN_KEY_VIOLATION).byConstraint("slice_cost_centre_id_tenant_id_fkey");
        assertThat(costCentreOf(slice)).isEqualTo(root(db.tenancy().tenantId()));

        long ownSub = subCostCentre(db.tenancy().tenantId(), "CC-OWN");
        jdbc.sql("update slice set cost_centre_id = ? where id = ?").params(ownSub, slice).update();
        assertThat(costCentreOf(slice)).isEqualTo(ownSub);
    }

    // ---------------------------------------------------------------- closed months

    @Test
    void aClosedMonthsRowsCannotBeChangedOrRemoved() {
        LocalDate month = LocalDate.of(1999, 1, 1);
        long slice = db.slice(db.passthroughOffering()).on(db.gpu("PASSTHROUGH")).insert();
        close(month);
        frozenLine(month, slice);
        jdbc.sql("""
                insert into statement_showback (month, tenant_id, slice_id, sample_count, framebuffer_mib)
                values (?, ?, ?, 0, 46068)""").params(month, db.tenancy().tenantId(), slice).update();

        assertThatStatement(() -> jdbc.sql("update statement_line set allocation_amount = 0 where month = ?").param(month)
                .update())
                .isRejectedWith(FROZEN).byTrigger("closed_month_is_frozen", "statement_line of a closed month");
        assertThatStatement(() -> jdbc.sql("delete from statement_line where month = ?").param(month).update())
                .isRejectedWith(FROZEN).byTrigger("closed_month_is_frozen", "statement_line of a closed month");
        assertThatStatement(() -> jdbc.sql("update statement_showback set sample_count = 5 where month = ?").param(month)
                .update())
                .isRejectedWith(FROZEN).byTrigger("closed_month_is_frozen", "statement_showback of a closed month");
        assertThatStatement(() -> jdbc.sql("delete from statement_showback where month = ?").param(month).update())
                .isRejectedWith(FROZEN).byTrigger("closed_month_is_frozen", "statement_showback of a closed month");
        assertThatStatement(() -> jdbc.sql("update billing_month set currency = 'USD' where month = ?").param(month)
                .update())
                .isRejectedWith(FROZEN).byTrigger("closed_month_is_frozen", "billing_month of a closed month");
        assertThatStatement(() -> jdbc.sql("delete from billing_month where month = ?").param(month).update())
                .isRejectedWith(FROZEN).byTrigger("closed_month_is_frozen", "billing_month of a closed month");

        assertThat(jdbc.sql("select allocation_amount from statement_line where month = ?").param(month)
                .query(String.class).single()).isEqualTo("12.3400");
        assertThat(count("select count(*) from statement_showback where month = ? and sample_count = 0", month))
                .isEqualTo(1);
        assertThat(jdbc.sql("select currency from billing_month where month = ?").param(month).query(String.class)
                .single()).isEqualTo("EUR");
    }

    @Test
    void anAdjustmentCannotBeBookedIntoAClosedMonth() {
        LocalDate month = LocalDate.of(1999, 2, 1);
        close(month);

        assertThatStatement(() -> adjust(month, "10.00"))
                .isRejectedWith(FROZEN).byTrigger("adjustment_month_open", "is closed; book the adjustment in an open month");
        assertThat(count("select count(*) from billing_adjustment where month = ?", month)).isZero();
    }

    @Test
    void anAdjustmentOfAMonthThatWasThenClosedCannotBeChangedOrRemoved() {
        LocalDate month = LocalDate.of(1999, 3, 1);
        adjust(month, "10.00");
        close(month);

        assertThatStatement(() -> jdbc.sql("update billing_adjustment set amount = 20 where month = ?").param(month)
                .update())
                .isRejectedWith(FROZEN).byTrigger("adjustment_month_open", "cannot be changed");
        assertThatStatement(() -> jdbc.sql("delete from billing_adjustment where month = ?").param(month).update())
                .isRejectedWith(FROZEN).byTrigger("adjustment_month_open", "cannot be changed");
        assertThatStatement(() -> jdbc.sql("update billing_adjustment set month = '1999-04-01' where month = ?")
                .param(month).update())
                .isRejectedWith(FROZEN).byTrigger("adjustment_month_open", "cannot be changed");
        assertThat(jdbc.sql("select amount from billing_adjustment where month = ?").param(month).query(String.class)
                .single()).isEqualTo("10.0000");
    }

    @Test
    void anAdjustmentInAnOpenMonthMayBeCorrectedAndCorrectsOnlyAnEarlierMonth() {
        LocalDate month = LocalDate.of(1999, 5, 1);
        adjust(month, "10.00");
        jdbc.sql("update billing_adjustment set amount = -4 where month = ?").param(month).update();
        assertThat(jdbc.sql("select amount from billing_adjustment where month = ?").param(month).query(String.class)
                .single()).isEqualTo("-4.0000");

        assertThatStatement(() -> jdbc.sql("""
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, corrects_month, created_by)
                values (?, ?, ?, 1, 'Same month', ?, ?)""")
                .params(month, db.tenancy().tenantId(), root(db.tenancy().tenantId()), month, db.tenancy().userId())
                .update())
                .isRejectedWith(CHECK_VIOLATION).byCheckOn("billing_adjustment", "corrects_month < month");
        assertThatStatement(() -> adjust(month, "0"))
                .isRejectedWith(CHECK_VIOLATION).byConstraint("billing_adjustment_amount_check");
        assertThat(count("select count(*) from billing_adjustment where month = ?", month)).isEqualTo(1);
    }

    // ---------------------------------------------------------------- helpers

    private long subCostCentre(long tenant, String code) {
        return jdbc.sql("""
                insert into cost_centre (tenant_id, parent_id, code, name)
                values (:tenant, (select id from cost_centre where tenant_id = :tenant and parent_id is null), :code, :code)
                returning id""").param("tenant", tenant).param("code", code).query(Long.class).single();
    }

    private long root(long tenant) {
        return jdbc.sql("select id from cost_centre where tenant_id = ? and parent_id is null").param(tenant)
                .query(Long.class).single();
    }

    private long costCentresOf(long tenant) {
        return count("select count(*) from cost_centre where tenant_id = ?", tenant);
    }

    private long costCentreOf(long slice) {
        return jdbc.sql("select cost_centre_id from slice where id = ?").param(slice).query(Long.class).single();
    }

    private void close(LocalDate month) {
        jdbc.sql("insert into billing_month (month, currency, closed_by) values (?, 'EUR', ?)")
                .params(month, db.tenancy().userId()).update();
    }

    private void frozenLine(LocalDate month, long slice) {
        jdbc.sql("""
                insert into statement_line (month, tenant_id, line_no, tenant_name, cost_centre_id, cost_centre_code,
                    cost_centre_name, slice_id, slice_uuid, vm_name, offering_id, offering_code, period_start, period_end,
                    allocated_seconds, rate_per_hour, allocation_amount, seat_seconds, seat_amount)
                select :month, s.tenant_id, 1, 'Tenant', c.id, c.code, c.name, s.id, s.uuid, s.vm_name, s.offering_id,
                       'code', cast(:month as timestamptz), cast(:month as timestamptz) + interval '1 day',
                       3600, 12.34, 12.34, 0, 0
                from slice s join cost_centre c on c.id = s.cost_centre_id where s.id = :slice""")
                .param("month", month).param("slice", slice).update();
    }

    private int adjust(LocalDate month, String amount) {
        return jdbc.sql("""
                insert into billing_adjustment (month, tenant_id, cost_centre_id, amount, reason, created_by)
                values (?, ?, ?, cast(? as numeric), 'Credit for an outage', ?)""")
                .params(month, db.tenancy().tenantId(), root(db.tenancy().tenantId()), amount, db.tenancy().userId())
                .update();
    }

    private long count(String sql, Object argument) {
        return jdbc.sql(sql).param(argument).query(Long.class).single();
    }
}
