package io.vgpuhub.web.licensing;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Seats enough for any test that is not about seats: a perpetual entitlement of a million seats of every edition, once
 * per database. Tests that request licensed slices call it from their fixtures' setup, so admission never refuses them.
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
}
