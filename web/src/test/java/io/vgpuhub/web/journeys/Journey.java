package io.vgpuhub.web.journeys;

import java.time.Instant;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * What a journey class needs around its test: the simulated GPU host's agent reporting to the server, and one Chromium
 * for the class. Registered as a static field ({@code @RegisterExtension static final Journey journey = ...}); after
 * each test it reads the console once more (a poll may have failed after the last screenshot), and a failing test
 * leaves a screenshot and the page's HTML.
 */
final class Journey implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, TestExecutionExceptionHandler {

    private final String name;
    private SimulatedGpuHost host;
    private Browser browser;
    private JdbcClient jdbc;

    Journey(String name) {
        this.name = name;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        ApplicationContext spring = SpringExtension.getApplicationContext(context);
        Environment environment = spring.getEnvironment();
        int port = environment.getRequiredProperty("local.server.port", Integer.class);
        jdbc = spring.getBean(JdbcClient.class);
        host = SimulatedGpuHost.start(port, environment.getRequiredProperty("vgpuhub.demo.agent-token"));
        awaitHostReported();
        browser = Browser.start(name, "http://localhost:" + port);
    }

    private void awaitHostReported() throws InterruptedException {
        Instant deadline = Instant.now().plus(Browser.PATIENCE);
        while (jdbc.sql("""
                select count(*) from virtual_function v join gpu g on g.id = v.gpu_id
                join host h on h.id = g.host_id where g.pci_address = ? and h.last_seen_at is not null""")
                .param(SimulatedGpuHost.GPU_PCI).query(Long.class).single() < 4) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The simulated host's agent did not report its GPU and VFs within "
                        + Browser.PATIENCE.toSeconds() + " s");
            }
            Thread.sleep(200);
        }
    }

    Browser browser() {
        return browser;
    }

    JdbcClient jdbc() {
        return jdbc;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        if (browser != null) {
            browser.failed();
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (browser != null && context.getExecutionException().isEmpty()) {
            browser.assertConsoleClean();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (browser != null) {
                browser.close();
            }
        }
        finally {
            if (host != null) {
                host.close();
            }
        }
    }
}
