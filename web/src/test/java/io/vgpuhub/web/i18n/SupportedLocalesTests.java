package io.vgpuhub.web.i18n;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which requested languages map to the two the portal speaks. */
class SupportedLocalesTests {

    @ParameterizedTest
    @CsvSource({ "en, en", "en-GB, en", "en-US, en", "zh, zh-CN", "zh-CN, zh-CN", "zh-Hans, zh-CN", "zh-SG, zh-CN",
            "zh-TW, none", "zh-Hant, none", "zh-HK, none", "fr, none", "'', none" })
    void match(String requested, String expected) {
        assertThat(SupportedLocales.match(Locale.forLanguageTag(requested)).map(SupportedLocales::tag).orElse("none"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({ "en, en", "zh-CN, zh-CN", "' zh-CN ', zh-CN", "xx, none", "'', none" })
    void storedTags(String tag, String expected) {
        assertThat(SupportedLocales.fromTag(tag).map(SupportedLocales::tag).orElse("none")).isEqualTo(expected);
    }
}
