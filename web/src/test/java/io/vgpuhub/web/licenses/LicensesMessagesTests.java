package io.vgpuhub.web.licenses;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The licenses bundle speaks English and Simplified Chinese alike, and the license templates ask only for keys that
 * exist (in this bundle or the shared one).
 */
class LicensesMessagesTests {

    @Test
    void everyKeyHasAnEnglishAndAChineseText() throws IOException {
        Properties english = load("i18n/licenses.properties");
        Properties chinese = load("i18n/licenses_zh_CN.properties");

        assertThat(chinese.stringPropertyNames()).isEqualTo(english.stringPropertyNames());
        assertThat(chinese.stringPropertyNames()).allSatisfy(key -> assertThat(chinese.getProperty(key)).isNotBlank());
        assertThat(chinese.getProperty("licenses.overview.intro")).containsPattern("\\p{IsHan}");
    }

    @Test
    void everyKeyTheLicenseTemplatesUseExists() throws IOException {
        Properties known = load("i18n/licenses.properties");
        known.putAll(load("messages.properties"));
        Set<String> used = new TreeSet<>();
        Set<String> prefixes = new TreeSet<>();
        Pattern key = Pattern.compile("#\\{([A-Za-z0-9_.]+)[}(]");
        Pattern prefix = Pattern.compile("'(licenses\\.[A-Za-z0-9_.]+\\.)'\\s*\\+");
        try (Stream<Path> templates = Files.list(Path.of("src/main/resources/templates/licenses"))) {
            for (Path template : templates.toList()) {
                String html = Files.readString(template);
                Matcher m = key.matcher(html);
                while (m.find()) {
                    used.add(m.group(1));
                }
                Matcher p = prefix.matcher(html);
                while (p.find()) {
                    prefixes.add(p.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty().allSatisfy(k -> assertThat(known).containsKey(k));
        assertThat(prefixes).isNotEmpty().allSatisfy(family -> assertThat(known.stringPropertyNames())
                .anySatisfy(k -> assertThat(k).startsWith(family)));
    }

    private static Properties load(String resource) throws IOException {
        Properties properties = new Properties();
        try (InputStream in = LicensesMessagesTests.class.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return properties;
    }
}
