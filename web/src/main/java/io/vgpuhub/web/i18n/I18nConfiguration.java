package io.vgpuhub.web.i18n;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.LocaleResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.i18n.LocaleChangeInterceptor;

/** The language switch: {@code ?lang=en} or {@code ?lang=zh-CN} on any page, remembered per user and browser. */
@Configuration(proxyBeanMethods = false)
class I18nConfiguration implements WebMvcConfigurer {

    static final String PARAMETER = "lang";

    /** Named so, because the DispatcherServlet looks the resolver up by this bean name. */
    @Bean(name = "localeResolver")
    LocaleResolver localeResolver(UserLocales userLocales) {
        return new UserLocaleResolver(userLocales);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        LocaleChangeInterceptor change = new LocaleChangeInterceptor();
        change.setParamName(PARAMETER);
        // ?lang=%%% must not break the page; the visitor keeps their language.
        change.setIgnoreInvalidLocale(true);
        registry.addInterceptor(change);
    }
}
