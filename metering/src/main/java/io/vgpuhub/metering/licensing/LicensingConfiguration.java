package io.vgpuhub.metering.licensing;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Registers the licensing settings, wherever the application's own configuration-properties scan looks. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LicensingSettings.class)
class LicensingConfiguration {
}
