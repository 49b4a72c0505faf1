package io.vgpuhub.web.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import io.vgpuhub.web.agentapi.AgentApiFixtures;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The authorization tests' application: the whole server over MockMvc with a database of its own, since they add a
 * second tenant, a second host and tokens that other tests' counts must not see. Scheduled checks run hourly, so no
 * silent-host audit row lands between a request and the check that nothing changed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = { "vgpuhub.test.database=authz", "vgpuhub.lifecycle.check-interval=1h" })
@AutoConfigureMockMvc
@Import(AgentApiFixtures.class)
@interface AuthzTest {
}
