package io.vgpuhub.web.i18n;

import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Each user's chosen language (app_user.locale), so it follows them to their next session. */
@Repository
class UserLocales {

    private final JdbcClient jdbc;

    UserLocales(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Locale> of(long userId) {
        return jdbc.sql("select locale from app_user where id = ?").param(userId).query(String.class).optional()
                .flatMap(SupportedLocales::fromTag);
    }

    void store(long userId, Locale locale) {
        jdbc.sql("update app_user set locale = ? where id = ?").params(SupportedLocales.tag(locale), userId).update();
    }
}
