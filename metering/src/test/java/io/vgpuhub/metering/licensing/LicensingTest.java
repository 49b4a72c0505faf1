package io.vgpuhub.metering.licensing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The lease tests' own context and database: seats are counted per edition across the whole database, so these tests
 * clear entitlements and leases before each test, which must not touch another test class's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "vgpuhub.test.database=seat-leases")
@interface LicensingTest {
}
