package io.vgpuhub.web.placement;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * The placement tests' own application context and embedded PostgreSQL: they build clusters of their own and must
 * not see (or leave) GPUs of other test classes. One pool connection per storm thread would be wasteful; 24 keeps
 * the database busy without queueing on the pool more than needed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "vgpuhub.db.embedded.max-pool-size=24")
@interface PlacementIntegrationTest {
}
