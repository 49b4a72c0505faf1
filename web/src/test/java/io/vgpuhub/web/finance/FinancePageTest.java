package io.vgpuhub.web.finance;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The finance and billing page tests' application: the whole server over MockMvc with its own throw-away PostgreSQL,
 * so the rate cards, tenants and past slices these tests write stay out of other tests' months (and theirs out of
 * these figures).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = { "vgpuhub.test.database=finance-pages", "vgpuhub.lifecycle.check-interval=1h" })
@AutoConfigureMockMvc
public @interface FinancePageTest {
}
