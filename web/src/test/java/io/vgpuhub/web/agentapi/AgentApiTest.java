package io.vgpuhub.web.agentapi;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Import;

/**
 * The agent API and lifecycle tests: the whole server with MockMvc against its own embedded PostgreSQL (these tests
 * bring hosts online, which would give other tests capacity they do not expect). The scheduled checks run rarely, so
 * the tests drive them with the time they choose.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = "vgpuhub.lifecycle.check-interval=1h")
@AutoConfigureMockMvc
@Import(AgentApiFixtures.class)
public @interface AgentApiTest {
}
