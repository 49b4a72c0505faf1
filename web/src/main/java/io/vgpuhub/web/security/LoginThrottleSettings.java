package io.vgpuhub.web.security;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Login throttling ({@code vgpuhub.security.login.*}).
 *
 * @param maxFailures failed sign-ins for one user name within {@code window} that lock that name
 * @param maxFailuresPerAddress failed sign-ins from one client address (any user names) within {@code window} that
 *        lock that address; higher than {@code maxFailures} because many people can share one address (NAT, proxy)
 * @param window how far back failures count
 * @param lockout how long a locked user name or address is refused, even with the right password
 * @param cleanupInterval how often counts whose window and lockout are over are deleted (once across replicas)
 */
@Validated
@ConfigurationProperties("vgpuhub.security.login")
record LoginThrottleSettings(
        @DefaultValue("5") @Min(1) int maxFailures,
        @DefaultValue("50") @Min(1) int maxFailuresPerAddress,
        @DefaultValue("15m") @NotNull Duration window,
        @DefaultValue("15m") @NotNull Duration lockout,
        @DefaultValue("1h") @NotNull Duration cleanupInterval) {
}
