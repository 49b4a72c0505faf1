package io.vgpuhub.metering.chargeback;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The chargeback tests' own context and database: rate cards price every tenant at once, so these tests replace the
 * cards before each test, which must not touch another test class's.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "vgpuhub.test.database=chargeback")
@interface ChargebackTest {
}
