package io.vgpuhub.web.metrics;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/**
 * The metrics and health tests' application: the whole server over MockMvc with a database of its own, since these
 * tests count hosts and slices across the cluster. The scheduled refresh and the silent-host check run once at start
 * and then hourly, so the tests decide when gauges are read and when a silent host's row is rewritten.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(properties = { "vgpuhub.test.database=metrics", "vgpuhub.lifecycle.check-interval=1h",
        "vgpuhub.metrics.refresh-interval=1h" })
@AutoConfigureMockMvc
@interface MetricsTest {
}
