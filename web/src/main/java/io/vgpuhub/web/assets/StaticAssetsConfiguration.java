package io.vgpuhub.web.assets;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.resource.ResourceUrlEncodingFilter;

/**
 * Pages link their scripts and styles by plain paths ({@code /webjars/htmx.org/dist/htmx.min.js}, {@code /css/hub.css});
 * the WebJars locator finds the version when the file is requested.
 * <p>
 * Boot would otherwise register {@link ResourceUrlEncodingFilter} (WebJars turn the resource chain on), which asks the
 * resource chain about every link Thymeleaf writes. Under the default {@code /**} static pattern every page link
 * ({@code /slices/…}, {@code /operator/hosts/…}) is looked for in four classpath folders, and misses are not cached:
 * that was well over half of the server's CPU per page (BENCHMARKS.md, portal pages under load). The links it would
 * rewrite gain nothing here, since no content or fixed version strategy is configured.
 */
@Configuration(proxyBeanMethods = false)
class StaticAssetsConfiguration {

    /** Present but disabled, so that Boot's own registration of the filter backs off. */
    @Bean
    FilterRegistrationBean<ResourceUrlEncodingFilter> disabledResourceUrlEncodingFilter() {
        FilterRegistrationBean<ResourceUrlEncodingFilter> registration =
                new FilterRegistrationBean<>(new ResourceUrlEncodingFilter());
        registration.setEnabled(false);
        return registration;
    }
}
