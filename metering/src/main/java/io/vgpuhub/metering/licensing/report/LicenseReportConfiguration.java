package io.vgpuhub.metering.licensing.report;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds the license reports' settings; metering has no configuration-properties scan of its own. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LicenseReportSettings.class)
class LicenseReportConfiguration {
}
