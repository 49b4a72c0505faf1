package io.vgpuhub.web.licensing;

import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Entitlements written with SQL. Seats enough for any test that is not about seats: a perpetual entitlement of a
 * million seats of every edition, once per database; tests that request licensed slices call it from their fixtures'
 * setup, so admission never refuses them. Tests about seats start from none instead.
 */
public final class LicenseSeatFixtures {

    static final String ORDER_PREFIX = "TEST-GENEROUS-";

    private LicenseSeatFixtures() {
    }

    public static void grantGenerousSeats(JdbcClient jdbc) {
        jdbc.sql("""
                insert into license_entitlement (edition, seats, valid_from, order_reference, notes)
                select e.code, 1000000, timestamptz '2000-01-01 00:00:00Z', ? || e.code, 'tests: seats for every request'
                from license_edition e
                where not exists (select 1 from license_entitlement x where x.order_reference = ? || e.code)
                """).params(ORDER_PREFIX, ORDER_PREFIX).update();
    }

    /** No entitlement at all (not even the generous ones), and every edition refuses when its seats run out. */
    public static void clearEntitlements(JdbcClient jdbc) {
        jdbc.sql("delete from license_entitlement").update();
        jdbc.sql("update license_edition set admission_policy = 'REFUSE'").update();
    }

    /** An entitlement of the edition valid in [from, until); until null: perpetual. */
    public static long entitle(JdbcClient jdbc, String edition, int seats, Instant from, Instant until,
            String orderReference) {
        return jdbc.sql("""
                insert into license_entitlement (edition, seats, valid_from, valid_until, order_reference)
                values (:edition, :seats, :from, :until, :order) returning id
                """)
                .param("edition", edition).param("seats", seats).param("from", from.atOffset(ZoneOffset.UTC))
                .param("until", until == null ? null : until.atOffset(ZoneOffset.UTC), Types.TIMESTAMP_WITH_TIMEZONE)
                .param("order", orderReference)
                .query(Long.class).single();
    }
}
