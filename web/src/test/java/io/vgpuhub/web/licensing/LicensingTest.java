package io.vgpuhub.web.licensing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The seat tests' own context and database: seats are counted per edition over the whole database, so these tests
 * remove every entitlement and slice before each test, which no other test class may see. Renewal is not throttled
 * (each report renews) and the scheduled checks run rarely, so the tests drive expiry with the time they choose.
 * Placement spreads, so that concurrent requests land on different GPUs and meet at admission.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = { "vgpuhub.test.database=licensing", "vgpuhub.db.embedded.max-pool-size=24",
        "vgpuhub.licensing.renew-interval=0s", "vgpuhub.lifecycle.check-interval=1h", "vgpuhub.placement.policy=SPREAD" })
@AutoConfigureMockMvc
@interface LicensingTest {
}
