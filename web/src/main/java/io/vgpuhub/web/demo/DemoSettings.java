package io.vgpuhub.web.demo;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param enabled    seed the demo tenant, users and simulated host at start-up
 * @param agentToken the token the simulated host agent presents (only its hash is stored)
 * @param password   the password of every demo user
 * @param finance    also seed rate cards, sub cost centres, a second tenant and three months of released slices with their
 *                   leases and hourly usage, so the finance and billing pages have figures (tests turn it off: the
 *                   history would be in every test's months)
 */
@ConfigurationProperties("vgpuhub.demo")
public record DemoSettings(@DefaultValue("true") boolean enabled, String agentToken, @DefaultValue("demo") String password,
        @DefaultValue("true") boolean finance) {

    public DemoSettings {
        if (enabled && (agentToken == null || agentToken.length() < 16)) {
            throw new IllegalArgumentException("vgpuhub.demo.agent-token must be at least 16 characters in demo mode");
        }
    }
}
