package io.vgpuhub.web.operator;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The operator page tests' application: the whole server over MockMvc with its own throw-away PostgreSQL. The
 * extra property gives these tests a context (and so a database) of their own: they drain hosts, switch GPU modes
 * and change offerings, which must not leak into other tests' catalog or placement, nor theirs into these.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
// Silent-host checks hourly: their audit rows would land in the middle of tests that count audit rows.
@SpringBootTest(properties = { "vgpuhub.test.database=operator-pages", "vgpuhub.lifecycle.check-interval=1h" })
@AutoConfigureMockMvc
@interface OperatorPageTest {
}
