package io.vgpuhub.web.finance.close;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The close and adjustment page tests' application: the whole server over MockMvc with its own throw-away PostgreSQL.
 * Months close in order across the whole database, so these closes must not meet other tests' slices, nor theirs
 * these months; the tests bill months far in the past, where no other test or the demo data goes.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "vgpuhub.test.database=finance-close")
@AutoConfigureMockMvc
@interface FinanceClosePageTest {
}
