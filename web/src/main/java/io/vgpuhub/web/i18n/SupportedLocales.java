package io.vgpuhub.web.i18n;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The languages the portal speaks: English (the default) and Simplified Chinese. */
final class SupportedLocales {

    static final Locale ENGLISH = Locale.ENGLISH;
    static final Locale SIMPLIFIED_CHINESE = Locale.SIMPLIFIED_CHINESE;
    static final List<Locale> ALL = List.of(ENGLISH, SIMPLIFIED_CHINESE);

    private SupportedLocales() {
    }

    /**
     * The supported locale closest to {@code requested}: any Chinese but Traditional gets Simplified Chinese, any
     * English gets English, anything else nothing.
     */
    static Optional<Locale> match(Locale requested) {
        if (requested == null) {
            return Optional.empty();
        }
        return switch (requested.getLanguage()) {
            case "en" -> Optional.of(ENGLISH);
            case "zh" -> traditional(requested) ? Optional.empty() : Optional.of(SIMPLIFIED_CHINESE);
            default -> Optional.empty();
        };
    }

    /** The tag stored in app_user.locale and the cookie: "en" or "zh-CN". */
    static String tag(Locale supported) {
        return supported.toLanguageTag();
    }

    static Optional<Locale> fromTag(String tag) {
        return tag == null || tag.isBlank() ? Optional.empty() : match(Locale.forLanguageTag(tag.strip()));
    }

    private static boolean traditional(Locale locale) {
        return "Hant".equals(locale.getScript()) || List.of("TW", "HK", "MO").contains(locale.getCountry());
    }
}
