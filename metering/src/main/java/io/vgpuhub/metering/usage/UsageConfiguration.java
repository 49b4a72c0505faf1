package io.vgpuhub.metering.usage;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the usage settings wherever metering runs, with or without the server's configuration-properties scan. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UsageSettings.class)
class UsageConfiguration {
}
