package io.vgpuhub.web.licenses;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The license page tests' application: the whole server over MockMvc with its own throw-away PostgreSQL. These tests
 * record entitlements, write leases and switch admission policies, which must not change the seats other tests'
 * slices find, nor theirs the figures here.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "vgpuhub.test.database=license-pages")
@AutoConfigureMockMvc
@interface LicensesPageTest {
}
