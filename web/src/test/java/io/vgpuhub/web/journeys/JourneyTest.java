package io.vgpuhub.web.journeys;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

import org.springframework.boot.test.context.SpringBootTest;

/**
 * A browser journey: the whole server on a random port, with a Spring context (and so an embedded database) of its own
 * that every journey class shares and no other test touches, so the seat counts and hosts they read are only theirs.
 * Each class registers a {@link Journey} for its Chromium and the simulated host's agent.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Tag("journey")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // Only here to give the journeys their own context key; nothing reads it.
        properties = "vgpuhub.test.context=browser-journeys")
@interface JourneyTest {
}
